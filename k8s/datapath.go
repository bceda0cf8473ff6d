package k8s

import (
	"fmt"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/ktraffic/ktraffic/model"
)

// The datapath is read from the objects that configure it, all in
// kube-system: kube-proxy's ConfigMap (kubeadm's kube-proxy with
// config.conf, EKS's kube-proxy-config with config) holding a
// KubeProxyConfiguration, kube-proxy's DaemonSet and its flags, and
// Cilium's cilium-config with kube-proxy-replacement. A dump holds them
// when taken with `kubectl get cm,ds -n kube-system -o yaml`; the live
// source reads them once, when it starts.

const systemNamespace = "kube-system"

// datapathConfigMaps and datapathDaemonSets are the objects read, by name.
var (
	datapathConfigMaps = map[string]bool{"kube-proxy": true, "kube-proxy-config": true, "cilium-config": true}
	datapathDaemonSets = map[string]bool{"kube-proxy": true, "cilium": true, "cilium-agent": true}
)

// datapathObjects are what a source found of the datapath's objects.
type datapathObjects struct {
	// configMaps holds the data of the ConfigMaps above, by name.
	configMaps map[string]map[string]string
	// daemonSets holds each DaemonSet's containers' command and args.
	daemonSets map[string][]string
	// nodeModes are the nodes' /proxyMode answers (live only).
	nodeModes map[string]string
	// notes say what could not be read.
	notes []string
}

// wantConfigMap and wantDaemonSet say whether an object configures the
// datapath.
func wantConfigMap(ns, name string) bool { return ns == systemNamespace && datapathConfigMaps[name] }
func wantDaemonSet(ns, name string) bool { return ns == systemNamespace && datapathDaemonSets[name] }

func (d *datapathObjects) addConfigMap(cm *corev1.ConfigMap) {
	if d.configMaps == nil {
		d.configMaps = map[string]map[string]string{}
	}
	d.configMaps[cm.Name] = cm.Data
}

func (d *datapathObjects) addDaemonSet(ds *appsv1.DaemonSet) {
	if d.daemonSets == nil {
		d.daemonSets = map[string][]string{}
	}
	var words []string
	for _, c := range ds.Spec.Template.Spec.Containers {
		words = append(words, c.Command...)
		words = append(words, c.Args...)
	}
	d.daemonSets[ds.Name] = words
}

func (d *datapathObjects) merge(o *datapathObjects) {
	for name, data := range o.configMaps {
		if d.configMaps == nil {
			d.configMaps = map[string]map[string]string{}
		}
		d.configMaps[name] = data
	}
	for name, words := range o.daemonSets {
		if d.daemonSets == nil {
			d.daemonSets = map[string][]string{}
		}
		d.daemonSets[name] = words
	}
	d.notes = append(d.notes, o.notes...)
}

// kubeProxyConfiguration holds the fields of kube-proxy's configuration
// (kubeproxy.config.k8s.io/v1alpha1) that decide the datapath.
type kubeProxyConfiguration struct {
	Mode string `json:"mode"`
	IPVS struct {
		Scheduler string `json:"scheduler"`
	} `json:"ipvs"`
}

// datapath decides the datapath from what was found. Cilium replaces
// kube-proxy when its ConfigMap says kube-proxy-replacement is on (true,
// or strict in older releases); otherwise kube-proxy's configuration
// file decides, then its flags (which the file overrides), and an empty
// mode is the Linux default, iptables.
func (d *datapathObjects) datapath() model.Datapath {
	dp := d.decide()
	for _, v := range []*string{&dp.Mode, &dp.IPVSScheduler, &dp.LBAlgorithm, &dp.LBMode, &dp.Source} {
		*v = printable(*v)
	}
	return dp
}

func (d *datapathObjects) decide() model.Datapath {
	dp := model.Datapath{Notes: d.notes}
	if len(d.nodeModes) > 0 {
		dp.NodeModes = d.nodeModes
	}
	if c, ok := d.configMaps["cilium-config"]; ok {
		switch strings.ToLower(strings.TrimSpace(c["kube-proxy-replacement"])) {
		case "true", "strict":
			dp.Proxy, dp.Source = model.ProxyCilium, "ConfigMap kube-system/cilium-config, kube-proxy-replacement: "+c["kube-proxy-replacement"]
			dp.LBAlgorithm = strings.ToLower(strings.TrimSpace(c["bpf-lb-algorithm"]))
			dp.LBMode = strings.ToLower(strings.TrimSpace(c["bpf-lb-mode"]))
			return dp
		}
	}
	for _, cm := range []struct{ name, key string }{{"kube-proxy", "config.conf"}, {"kube-proxy-config", "config"}} {
		text, ok := d.configMaps[cm.name][cm.key]
		if !ok {
			continue
		}
		var cfg kubeProxyConfiguration
		if err := yaml.Unmarshal([]byte(text), &cfg); err != nil {
			dp.Notes = append(dp.Notes, fmt.Sprintf("ConfigMap kube-system/%s: %s is not a KubeProxyConfiguration ktraffic can read", cm.name, cm.key))
			continue
		}
		dp.Proxy, dp.Mode, dp.IPVSScheduler = model.ProxyKubeProxy, modeOrDefault(cfg.Mode), cfg.IPVS.Scheduler
		dp.Source = fmt.Sprintf("ConfigMap kube-system/%s, %s", cm.name, cm.key)
		return dp
	}
	if words, ok := d.daemonSets["kube-proxy"]; ok {
		mode := flagValue(words, "--proxy-mode")
		dp.Proxy, dp.Mode, dp.IPVSScheduler = model.ProxyKubeProxy, modeOrDefault(mode), flagValue(words, "--ipvs-scheduler")
		dp.Source = "DaemonSet kube-system/kube-proxy, --proxy-mode " + dp.Mode
		if mode == "" {
			dp.Source = "DaemonSet kube-system/kube-proxy without --proxy-mode (iptables, the default)"
		}
		return dp
	}
	for _, name := range []string{"cilium", "cilium-agent"} {
		if _, ok := d.daemonSets[name]; ok && d.daemonSets["kube-proxy"] == nil {
			dp.Proxy, dp.Source = model.ProxyCilium, "DaemonSet kube-system/"+name+", and no kube-proxy DaemonSet"
			return dp
		}
	}
	if modes := distinct(d.nodeModes); len(modes) > 0 {
		dp.Proxy, dp.Mode = model.ProxyKubeProxy, modes[0]
		dp.Source = "kube-proxy's /proxyMode on " + model.Counted(len(d.nodeModes), "node", "nodes")
	}
	return dp
}

// modeOrDefault: kube-proxy's empty mode is iptables on Linux.
func modeOrDefault(mode string) string {
	if mode = strings.ToLower(strings.TrimSpace(mode)); mode == "" {
		return model.ModeIPTables
	}
	return mode
}

// flagValue reads --flag=V or --flag V from a command line.
func flagValue(words []string, flag string) string {
	for i, w := range words {
		for _, f := range strings.Fields(w) {
			if v, ok := strings.CutPrefix(f, flag+"="); ok {
				return v
			}
			if f == flag && i+1 < len(words) {
				return words[i+1]
			}
		}
	}
	return ""
}

// distinct lists a map's values, the most frequent first.
func distinct(m map[string]string) []string {
	count := map[string]int{}
	for _, v := range m {
		count[v]++
	}
	out := make([]string, 0, len(count))
	for v := range count {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		if count[out[i]] != count[out[j]] {
			return count[out[i]] > count[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}
