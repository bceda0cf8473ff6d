package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

// The Gateway API is not built into kube-apiserver: a cluster serves it
// once its CRDs are installed, as operators do from the release's
// standard channel. The CRDs come from the same release ktraffic's
// reader follows (sigs.k8s.io/gateway-api v1.6.3), fetched through the Go
// module proxy like every other module. The e2e module does not require
// that module: its requirements would move shared dependencies and with
// them kube-apiserver's build.
const (
	GatewayAPIModule  = "sigs.k8s.io/gateway-api"
	GatewayAPIVersion = "v1.6.3"
	gatewayGroup      = "gateway.networking.k8s.io"
	// bundleVersionAnnotation is the version every CRD of a release
	// carries (the module's pkg/consts.BundleVersionAnnotation).
	bundleVersionAnnotation = "gateway.networking.k8s.io/bundle-version"
)

// gatewayKinds are the Gateway API kinds scenarios may hold (those
// ktraffic reads): resource name, and whether it is namespaced.
var gatewayKinds = map[string]struct {
	resource   string
	namespaced bool
}{
	"GatewayClass": {"gatewayclasses", false},
	"Gateway":      {"gateways", true},
	"HTTPRoute":    {"httproutes", true},
	"GRPCRoute":    {"grpcroutes", true},
}

// gatewayResource is the resource of a Gateway API object, by its
// apiVersion and kind; false for any other object.
func gatewayResource(tm metav1.TypeMeta) (schema.GroupVersionResource, bool) {
	gv, err := schema.ParseGroupVersion(tm.APIVersion)
	k, ok := gatewayKinds[tm.Kind]
	if err != nil || !ok || gv.Group != gatewayGroup {
		return schema.GroupVersionResource{}, false
	}
	return gv.WithResource(k.resource), true
}

// gatewayCRDs reads the standard channel's CRDs of the kinds above from
// the module, downloading it when the module cache lacks it.
func gatewayCRDs(ctx context.Context) ([]*apiextensionsv1.CustomResourceDefinition, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", GatewayAPIModule+"@"+GatewayAPIVersion)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go mod download %s@%s: %w: %s", GatewayAPIModule, GatewayAPIVersion, err, strings.TrimSpace(stderr.String()))
	}
	var mod struct{ Dir, Error string }
	if err := json.Unmarshal(stdout.Bytes(), &mod); err != nil || mod.Dir == "" {
		return nil, fmt.Errorf("go mod download %s@%s: no module folder (%v%s)", GatewayAPIModule, GatewayAPIVersion, err, mod.Error)
	}
	var out []*apiextensionsv1.CustomResourceDefinition
	for _, k := range gatewayKinds {
		path := filepath.Join(mod.Dir, "config", "crd", "standard", gatewayGroup+"_"+k.resource+".yaml")
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.UnmarshalStrict(data, crd); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if v := crd.Annotations[bundleVersionAnnotation]; v != GatewayAPIVersion {
			return nil, fmt.Errorf("%s: bundle version %q, want %s", path, v, GatewayAPIVersion)
		}
		out = append(out, crd)
	}
	return out, nil
}

// InstallGatewayAPI installs the Gateway API's CRDs (those of the kinds
// above) unless the cluster has them, and waits until the API server
// serves them. A cluster holding another release's CRDs is an error.
func InstallGatewayAPI(ctx context.Context, ext apiextensions.Interface) error {
	crds, err := gatewayCRDs(ctx)
	if err != nil {
		return fmt.Errorf("the Gateway API's CRDs: %w", err)
	}
	api := ext.ApiextensionsV1().CustomResourceDefinitions()
	for _, crd := range crds {
		got, err := api.Create(ctx, crd, metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			got, err = api.Get(ctx, crd.Name, metav1.GetOptions{})
		}
		if err != nil {
			return fmt.Errorf("installing CRD %s: %w", crd.Name, err)
		}
		if v := got.Annotations[bundleVersionAnnotation]; v != GatewayAPIVersion {
			return fmt.Errorf("the cluster has CRD %s of Gateway API %q, not %s", crd.Name, v, GatewayAPIVersion)
		}
	}
	// Established: the API server serves the resource. Creating an
	// object any earlier can fail with NotFound.
	return poll(ctx, time.Minute, func() (bool, error) {
		for _, crd := range crds {
			got, err := api.Get(ctx, crd.Name, metav1.GetOptions{})
			if err != nil {
				return false, err
			}
			if !established(got) {
				return false, nil
			}
		}
		return true, nil
	})
}

func established(crd *apiextensionsv1.CustomResourceDefinition) bool {
	for _, c := range crd.Status.Conditions {
		if c.Type == apiextensionsv1.Established {
			return c.Status == apiextensionsv1.ConditionTrue
		}
	}
	return false
}
