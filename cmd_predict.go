package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func (a *app) predictCommand() *cobra.Command {
	return &cobra.Command{Use: "predict", RunE: func(*cobra.Command, []string) error { return errors.New("predict being written") }}
}

func (a *app) checkCommand() *cobra.Command {
	return &cobra.Command{Use: "check", RunE: func(*cobra.Command, []string) error { return errors.New("check being written") }}
}
