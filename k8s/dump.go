//lint:file-ignore SA1019 v1 Endpoints are deprecated; old dumps still hold them, and they are read on purpose.

package k8s

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/ktraffic/ktraffic/model"
)

// stdinName is how "-" is named in errors: "-: line 3" reads badly.
const stdinName = "standard input"

// LoadFiles reads kubectl dumps: files, folders, or "-" for stdin. Several
// paths merge into one snapshot; an object met twice keeps its later copy,
// as a later `kubectl get` would have seen the newer state.
func LoadFiles(paths []string, stdin io.Reader) (*model.Snapshot, error) {
	return LoadFilesWith(context.Background(), paths, stdin, LoadOptions{})
}

// LoadFilesWith is LoadFiles with a bound on what is read, progress
// reports, and a context that stops the reading.
func LoadFilesWith(ctx context.Context, paths []string, stdin io.Reader, opts LoadOptions) (*model.Snapshot, error) {
	if len(paths) == 0 {
		return nil, errors.New("no dump file given")
	}
	l := &loader{ctx: ctx, stdin: stdin, pm: &progressMeter{fn: opts.Progress}}
	l.b = &budget{limit: opts.MaxBytes, pm: l.pm}
	if l.b.limit <= 0 {
		l.b.limit = DefaultMaxInputBytes
	}
	named := make([]string, len(paths))
	stdinUsed := false
	for i, p := range paths {
		named[i] = p
		if p == "-" {
			if stdinUsed {
				return nil, errors.New(`"-" (standard input) given more than once`)
			}
			stdinUsed = true
			named[i] = stdinName
		}
	}
	if err := l.plan(paths); err != nil {
		return nil, err
	}
	for _, p := range paths {
		if err := l.loadPath(p); err != nil {
			return nil, err
		}
	}
	l.pm.done()
	return l.all.snapshot("file:"+strings.Join(paths, ","), strings.Join(named, ", "))
}

// loader reads the paths of one LoadFiles call into all.
type loader struct {
	ctx   context.Context
	stdin io.Reader
	b     *budget
	pm    *progressMeter
	all   dumpContents
	// files lists each path's files (folders walked), in order.
	files map[string][]string
}

// plan lists the files to read and adds up their sizes for progress.
func (l *loader) plan(paths []string) error {
	l.files = map[string][]string{}
	var total int64
	known := true
	for _, p := range paths {
		if p == "-" {
			known = false
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return pathError(p, err)
		}
		files := []string{p}
		if info.IsDir() {
			if files, err = dumpFilesIn(p); err != nil {
				return err
			}
		}
		l.files[p] = files
		for _, f := range files {
			fi, err := os.Stat(f)
			if err != nil || !fi.Mode().IsRegular() {
				known = false
				continue
			}
			total += fi.Size()
		}
	}
	if known {
		l.pm.p.Total = total
	}
	return nil
}

// loadPath reads one path argument. Each argument must hold at least one
// object: an empty file is far more often a failed redirect than intent.
func (l *loader) loadPath(p string) error {
	before := l.all.objects
	name := p
	if p == "-" {
		if l.stdin == nil {
			return errors.New("no standard input to read")
		}
		name = stdinName
		in := stdinInput(l.stdin, l.b)
		if err := l.decode(in); err != nil {
			return err
		}
	} else {
		for _, f := range l.files[p] {
			in, closeFile, err := fileInput(f, l.b)
			if err != nil {
				return err
			}
			err = l.decode(in)
			closeFile()
			if err != nil {
				return err
			}
		}
	}
	if l.all.objects == before {
		return fmt.Errorf("no Kubernetes objects found in %s", name)
	}
	return nil
}

func (l *loader) decode(in dumpInput) error {
	l.pm.file(in.name)
	return decodeStream(l.ctx, in, &l.all, l.pm)
}

// dumpFilesIn lists the manifests under dir in sorted order. Hidden files
// and folders are left out so a repository checkout (.git, .github
// workflows) can be pointed at without tripping over non-Kubernetes YAML.
func dumpFilesIn(dir string) ([]string, error) {
	var files []string
	root := dir
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// WalkDir does not follow a symlinked root; a trailing separator
		// makes it resolve the link, as `ls dir/` would.
		root = dir + string(filepath.Separator)
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return pathError(path, err)
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".yaml", ".yml", ".json":
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no .yaml, .yml or .json files in this folder", dir)
	}
	sort.Strings(files)
	return files, nil
}

// pathError keeps file errors on one line and names the path once (the
// os package's "open x: ..." repeats the verb, not the reason).
func pathError(p string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &fileError{p + ": no such file or directory", err}
	case errors.Is(err, fs.ErrPermission):
		return &fileError{p + ": permission denied", err}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fileError{p + ": " + squashLine(pe.Err.Error()), err}
	}
	return &fileError{p + ": " + squashLine(err.Error()), err}
}

// fileError is a file problem worded for users that still matches
// errors.Is(err, fs.ErrNotExist) and the like.
type fileError struct {
	msg string
	err error
}

func (e *fileError) Error() string { return e.msg }
func (e *fileError) Unwrap() error { return e.err }

// snapshot turns what the dumps held into a normalized Snapshot. named is
// how the input is called in the error for a dump holding nothing usable.
func (c *dumpContents) snapshot(source, named string) (*model.Snapshot, error) {
	if len(c.services)+len(c.slices)+len(c.pods)+len(c.nodes)+len(c.endpoints) == 0 {
		msg := fmt.Sprintf("no Services, EndpointSlices, Pods or Nodes in %s", named)
		if w := c.skippedWarning(); w != "" {
			msg += ": " + w
		}
		return nil, errors.New(msg)
	}
	// Old habits dump v1 Endpoints: read them where a Service has no
	// EndpointSlice, as the mirroring controller would.
	slices, mirrored := mirrorMissing(c.services, c.slices, c.endpoints)
	s := &model.Snapshot{
		Source:         source,
		Services:       c.services,
		Slices:         slices,
		Pods:           c.pods,
		Nodes:          c.nodes,
		Ingresses:      c.ingresses,
		IngressClasses: c.ingressClasses,
		Gateways:       c.gateways,
		GatewayClasses: c.gatewayClasses,
		Routes:         c.routes,
		Datapath:       c.datapath.datapath(),
		NodesKnown:     len(c.nodes) > 0,
		// A dump says nothing of kinds it does not hold: say so rather
		// than read their absence as "none in the cluster".
		SlicesMissing: len(slices) == 0 && len(c.endpoints) == 0,
		PodsMissing:   len(c.pods) == 0,
	}
	if mirrored != "" {
		s.Warnings = append(s.Warnings, mirrored)
	}
	if w := c.skippedWarning(); w != "" {
		s.Warnings = append(s.Warnings, w)
	}
	if c.duplicates > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf(
			"%d %s appeared more than once; the copy read last was kept", c.duplicates, countNoun(c.duplicates, "object", "objects")))
	}
	s.Normalize()
	return s, nil
}

func countNoun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// dumpContents is what one or more dumps held, reduced to model types.
type dumpContents struct {
	services []model.Service
	slices   []model.EndpointSlice
	pods     []model.Pod
	nodes    []model.Node
	// endpoints are v1 Endpoints, kept whole until the snapshot decides
	// which Services need them (mirrorMissing).
	endpoints []*corev1.Endpoints
	// Entry layers, and the objects that configure the datapath.
	ingresses      []model.Ingress
	ingressClasses []model.IngressClass
	gateways       []model.Gateway
	gatewayClasses []model.GatewayClass
	routes         []model.Route
	datapath       datapathObjects
	// index maps an object's kind, namespace and name to its position in
	// its slice, so a repeated object replaces its earlier copy.
	index map[objectKey]int
	// objects counts every object met, kept or skipped.
	objects    int
	duplicates int
	// skipped counts objects of other kinds, in the order kinds were met.
	skipped     map[string]int
	skippedKind []string
}

type objectKey struct{ kind, namespace, name string }

func (c *dumpContents) slot(kind, ns, name string, n int) (int, bool) {
	if c.index == nil {
		c.index = map[objectKey]int{}
	}
	key := objectKey{kind, ns, name}
	if i, ok := c.index[key]; ok {
		c.duplicates++
		return i, true
	}
	c.index[key] = n
	return n, false
}

func (c *dumpContents) addService(s model.Service) {
	keepLatest(c, &c.services, s, "Service", s.Namespace, s.Name)
}

func (c *dumpContents) addSlice(s model.EndpointSlice) {
	keepLatest(c, &c.slices, s, "EndpointSlice", s.Namespace, s.Name)
}

func (c *dumpContents) addPod(p model.Pod) { keepLatest(c, &c.pods, p, "Pod", p.Namespace, p.Name) }

func (c *dumpContents) addNode(n model.Node) { keepLatest(c, &c.nodes, n, "Node", "", n.Name) }

func (c *dumpContents) addEndpoints(e *corev1.Endpoints) {
	keepLatest(c, &c.endpoints, e, "Endpoints", e.Namespace, e.Name)
}

func (c *dumpContents) addIngress(i model.Ingress) {
	keepLatest(c, &c.ingresses, i, "Ingress", i.Namespace, i.Name)
}

func (c *dumpContents) addIngressClass(ic model.IngressClass) {
	keepLatest(c, &c.ingressClasses, ic, "IngressClass", "", ic.Name)
}

func (c *dumpContents) addGateway(g model.Gateway) {
	keepLatest(c, &c.gateways, g, "Gateway", g.Namespace, g.Name)
}

func (c *dumpContents) addGatewayClass(g model.GatewayClass) {
	keepLatest(c, &c.gatewayClasses, g, "GatewayClass", "", g.Name)
}

func (c *dumpContents) addRoute(r model.Route) {
	keepLatest(c, &c.routes, r, r.Kind, r.Namespace, r.Name)
}

// keepLatest adds v to list, or replaces the copy met before: an object
// met twice keeps its later copy.
func keepLatest[T any](c *dumpContents, list *[]T, v T, kind, ns, name string) {
	if i, dup := c.slot(kind, ns, name, len(*list)); dup {
		(*list)[i] = v
		return
	}
	*list = append(*list, v)
}

func (c *dumpContents) skip(kind string, n int) {
	if c.skipped == nil {
		c.skipped = map[string]int{}
	}
	if _, ok := c.skipped[kind]; !ok {
		c.skippedKind = append(c.skippedKind, kind)
	}
	c.skipped[kind] += n
}

func (c *dumpContents) merge(o *dumpContents) {
	if c.objects == 0 && c.index == nil && len(c.skippedKind) == 0 {
		*c = *o // nothing to merge with: take it as it is
		return
	}
	for _, s := range o.services {
		c.addService(s)
	}
	for _, s := range o.slices {
		c.addSlice(s)
	}
	for _, p := range o.pods {
		c.addPod(p)
	}
	for _, n := range o.nodes {
		c.addNode(n)
	}
	for _, e := range o.endpoints {
		c.addEndpoints(e)
	}
	for _, i := range o.ingresses {
		c.addIngress(i)
	}
	for _, i := range o.ingressClasses {
		c.addIngressClass(i)
	}
	for _, g := range o.gateways {
		c.addGateway(g)
	}
	for _, g := range o.gatewayClasses {
		c.addGatewayClass(g)
	}
	for _, r := range o.routes {
		c.addRoute(r)
	}
	c.datapath.merge(&o.datapath)
	for _, k := range o.skippedKind {
		c.skip(k, o.skipped[k])
	}
	c.objects += o.objects
	c.duplicates += o.duplicates
}

// skippedWarning says what was left out, so a user who dumped the wrong
// resource (Endpoints instead of EndpointSlices) sees why nothing shows.
func (c *dumpContents) skippedWarning() string {
	total := 0
	for _, n := range c.skipped {
		total += n
	}
	if total == 0 {
		return ""
	}
	return fmt.Sprintf("skipped %d %s of other kinds (%s)", total, countNoun(total, "object", "objects"), strings.Join(c.skippedKind, ", "))
}
