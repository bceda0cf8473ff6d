package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func (a *app) probeCommand() *cobra.Command {
	return &cobra.Command{Use: "probe", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("probe being written") }}
}
