package k8s

import (
	"errors"

	"github.com/ktraffic/ktraffic/model"
)

// Scenario describes one embedded demo scenario.
type Scenario struct {
	Name        string
	Title       string
	Description string
	// Service is the featured Service, "namespace/name".
	Service string
}

// DemoScenarios lists the embedded scenarios in a stable order.
func DemoScenarios() []Scenario { return nil }

// DemoNames lists the scenario names.
func DemoNames() []string { return nil }

// LoadDemo builds the snapshot of one scenario.
func LoadDemo(name string) (*model.Snapshot, error) { return nil, errors.New("demo being written") }
