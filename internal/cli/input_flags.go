package cli

import (
	"fmt"

	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/ktraffic/ktraffic/k8s"
)

// byteSize is a size flag written as a Kubernetes quantity (512Mi, 2Gi,
// 300M), as in resource requests.
type byteSize struct{ n int64 }

func (b *byteSize) Set(s string) error {
	q, err := resource.ParseQuantity(s)
	if err != nil {
		return fmt.Errorf("want a size such as 512Mi or 2Gi")
	}
	n, ok := q.AsInt64()
	if !ok || n <= 0 {
		return fmt.Errorf("want a positive size such as 512Mi or 2Gi")
	}
	b.n = n
	return nil
}

func (b *byteSize) String() string {
	n := b.n
	if n == 0 {
		n = k8s.DefaultMaxInputBytes
	}
	return resource.NewQuantity(n, resource.BinarySI).String()
}

func (b *byteSize) Type() string { return "size" }

// addInputFlags registers the flags that bound what -f reads.
func (f *Factory) addInputFlags(fs *pflag.FlagSet) {
	fs.Var(&f.maxInput, "max-input-size", "stop reading -f dumps past this `SIZE` (all inputs together), e.g. 512Mi or 4Gi")
}
