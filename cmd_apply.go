package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func (a *app) applyCommand() *cobra.Command {
	return &cobra.Command{Use: "apply", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("apply being written") }}
}
