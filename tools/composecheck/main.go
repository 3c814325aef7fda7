// Command composecheck loads a compose file with the Compose Specification's own Go implementation (compose-go, the
// loader `docker compose` uses): schema validation, interpolation, anchors and merges, normalisation. It loads in a
// clean environment, as on a host where the operator set nothing, so a variable without a default is caught here and
// not on the day of the deployment. It prints the normalised project as JSON on stdout for tools/compose_check.py,
// which checks what a Compose implementation does not (health checks, tags, settings, ports).
//
//	composecheck [--project-directory DIR] FILE
//
// Exit 0 with the project on stdout; 1 with one line per problem on stderr: a load error, or a warning of the loader
// (a variable neither set nor defaulted, an obsolete attribute), which `docker compose` would only print and go on.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/sirupsen/logrus"
)

// warnings keeps what the loader logs at warning level or above: compose-go reports an unset variable this way.
type warnings struct{ lines []string }

func (w *warnings) Levels() []logrus.Level {
	return []logrus.Level{logrus.PanicLevel, logrus.FatalLevel, logrus.ErrorLevel, logrus.WarnLevel}
}

func (w *warnings) Fire(entry *logrus.Entry) error {
	w.lines = append(w.lines, entry.Message)
	return nil
}

func main() {
	projectDir := flag.String("project-directory", "", "directory relative paths resolve from (default: the file's)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: composecheck [--project-directory DIR] FILE")
		os.Exit(2)
	}
	caught := &warnings{}
	logrus.SetOutput(io.Discard) // the hook reports them, once
	logrus.AddHook(caught)

	project, err := load(flag.Arg(0), *projectDir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "compose: %v\n", err)
		os.Exit(1)
	}
	if len(caught.lines) > 0 {
		for _, line := range caught.lines {
			fmt.Fprintf(os.Stderr, "compose: %s\n", line)
		}
		os.Exit(1)
	}
	out, err := json.MarshalIndent(project, "", "  ")
	if err != nil {
		fmt.Fprintf(os.Stderr, "compose: the project does not serialise: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(string(out))
}

// load parses, validates, interpolates and normalises the file with an empty environment and no .env file.
func load(file, projectDir string) (any, error) {
	opts := []cli.ProjectOptionsFn{cli.WithEnv(nil), cli.WithResolvedPaths(true)}
	if projectDir != "" {
		opts = append(opts, cli.WithWorkingDirectory(projectDir))
	}
	options, err := cli.NewProjectOptions([]string{file}, opts...)
	if err != nil {
		return nil, err
	}
	return options.LoadProject(context.Background())
}
