package audit

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"maps"
	"path"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// Dir is where a repository keeps its workflows, from its root.
const Dir = ".github/workflows"

// workflow is one workflow file as the audit sees it.
type workflow struct {
	file        string // from the repository's root, e.g. .github/workflows/release.yml
	block       *block // the top-level permissions: key; nil when there is none
	pullRequest int    // the line of its pull_request trigger; 0 when it has none
	callOnly    bool   // triggered only by workflow_call: its jobs run for a calling job
	jobs        []*job // in file order
}

// job is one job of a workflow.
type job struct {
	id      string
	line    int      // the line of its key
	col     int      // the column of its key
	keyCol  int      // the column of the keys of its body; 0 when they are not one per line
	block   *block   // its permissions: key; nil when there is none
	guarded bool     // its if:, or a job it needs, keeps it off pull requests or forks
	cond    bool     // it has an if: of its own, which decides whether it runs when a job it needs is skipped
	after   []string // the jobs it needs
	calls   string   // the reusable workflow of this repository it calls, from the root; "" if none
	needs   []requirement
}

// readWorkflows reads and parses every workflow file in fsys's .github/workflows, in name order.
func readWorkflows(fsys fs.FS) ([]*workflow, error) {
	entries, err := fs.ReadDir(fsys, Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, outcome.Invalid("read the workflows", "source", "the source has no "+Dir+" directory",
			"Pass the root of the repository whose workflows to audit.")
	}
	if err != nil {
		return nil, fmt.Errorf("read the workflows: %w", err)
	}
	var out []*workflow
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml")) {
			continue
		}
		file := Dir + "/" + name
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("read the workflows: %w", err)
		}
		w, err := parseWorkflow(file, b)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// step is one step of a job, as the rules read it.
type step struct {
	line int
	name string
	uses string            // the action, "" for a run: step
	with map[string]string // its inputs, names in lower case
	run  string            // its script, "" for an action
	env  map[string]string // its environment, names in lower case
}

// yamlLine finds the line in a YAML error message ("yaml: line 7: …").
var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseWorkflow parses the workflow file named file (from the repository's root). Only what
// stops the audit is an error: YAML that does not parse, a file that is not a mapping, or a
// permissions: key GitHub would refuse; other mistakes are actionlint's to report.
func parseWorkflow(file string, b []byte) (*workflow, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		line := 1
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		problem := strings.TrimPrefix(yamlLine.ReplaceAllString(err.Error(), ""), "yaml: ")
		return nil, invalidWorkflow(file, line, "it is not valid YAML: "+strings.TrimLeft(problem, ": "),
			"Fix the YAML at that line; `actionlint` shows every problem of a workflow file.")
	}
	w := &workflow{file: file}
	if len(doc.Content) == 0 {
		return w, nil // empty: no jobs
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, invalidWorkflow(file, root.Line, "it is not a mapping of keys such as on: and jobs:", "Write a workflow: https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax.")
	}
	var (
		env  map[string]string
		jobs *yaml.Node
		err  error
	)
	for key, val := range pairs(root) {
		switch key.Value {
		case "permissions":
			if w.block, err = parseBlock(file, key, val); err != nil {
				return nil, err
			}
		case "on":
			w.events(val)
		case "env":
			env = strMap(val)
		case "jobs":
			jobs = val
		}
	}
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return w, nil
	}
	for key, val := range pairs(jobs) {
		j, err := parseJob(file, key, val, env)
		if err != nil {
			return nil, err
		}
		w.jobs = append(w.jobs, j)
	}
	w.skipWithNeeds()
	return w, nil
}

// skipWithNeeds marks guarded the jobs without an if: of their own that need a guarded job:
// GitHub skips a job when a job it needs was skipped.
func (w *workflow) skipWithNeeds() {
	for changed := true; changed; {
		changed = false
		for _, j := range w.jobs {
			if j.guarded || j.cond {
				continue
			}
			for _, id := range j.after {
				if n := w.job(id); n != nil && n.guarded {
					j.guarded, changed = true, true
					break
				}
			}
		}
	}
}

// events reads the workflow's triggers: on: as one event, a list of them, or a mapping.
func (w *workflow) events(on *yaml.Node) {
	var names []*yaml.Node
	switch on.Kind {
	case yaml.ScalarNode:
		names = []*yaml.Node{on}
	case yaml.SequenceNode:
		for _, n := range on.Content {
			names = append(names, resolve(n))
		}
	case yaml.MappingNode:
		for key := range pairs(on) {
			names = append(names, key)
		}
	}
	w.callOnly = len(names) > 0
	for _, n := range names {
		if n.Value != "workflow_call" {
			w.callOnly = false
		}
		if n.Value == "pull_request" {
			w.pullRequest = n.Line
		}
	}
}

// parseJob reads the job whose id and body are given; env is the workflow's.
func parseJob(file string, id, body *yaml.Node, env map[string]string) (*job, error) {
	j := &job{id: id.Value, line: id.Line, col: id.Column}
	if body.Kind != yaml.MappingNode {
		return j, nil
	}
	if body.Style&yaml.FlowStyle == 0 && len(body.Content) > 0 {
		j.keyCol = body.Content[0].Column
	}
	var steps *yaml.Node
	for key, val := range pairs(body) {
		switch key.Value {
		case "permissions":
			var err error
			if j.block, err = parseBlock(file, key, val); err != nil {
				return nil, err
			}
		case "needs":
			if val.Kind == yaml.ScalarNode {
				j.after = []string{val.Value}
			}
			for _, n := range val.Content {
				j.after = append(j.after, resolve(n).Value)
			}
		case "if":
			j.cond = true
			cond := strings.ToLower(val.Value)
			for _, guard := range []string{"event_name", "github.ref", "head.repo", "fork"} {
				j.guarded = j.guarded || strings.Contains(cond, guard)
			}
		case "uses":
			// A reusable workflow of this repository: GitHub takes them from .github/workflows only.
			if local, ok := strings.CutPrefix(strings.TrimSpace(val.Value), "./"); ok && strings.HasPrefix(path.Clean(local), Dir+"/") {
				j.calls = path.Clean(local)
			}
		case "env":
			env = merged(env, strMap(val))
		case "steps":
			steps = val
		}
	}
	if steps == nil || steps.Kind != yaml.SequenceNode {
		return j, nil
	}
	for _, n := range steps.Content {
		if n = resolve(n); n.Kind == yaml.MappingNode {
			j.needs = append(j.needs, stepNeeds(parseStep(n), env)...)
		}
	}
	return j, nil
}

// parseStep reads one step.
func parseStep(n *yaml.Node) step {
	st := step{line: n.Line}
	for key, val := range pairs(n) {
		switch key.Value {
		case "name":
			st.name = val.Value
		case "uses":
			st.uses = val.Value
		case "run":
			st.run = val.Value
		case "with":
			st.with = strMap(val)
		case "env":
			st.env = strMap(val)
		}
	}
	return st
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// pairs are the keys and values of a mapping node, aliases resolved; none for another node.
func pairs(n *yaml.Node) iter.Seq2[*yaml.Node, *yaml.Node] {
	return func(yield func(*yaml.Node, *yaml.Node) bool) {
		if n = resolve(n); n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !yield(resolve(n.Content[i]), resolve(n.Content[i+1])) {
				return
			}
		}
	}
}

// strMap reads a mapping of scalars, such as env: or with:, its names in lower case (as GitHub
// compares them); an env: given as one expression, or a value that is not a scalar, adds
// nothing.
func strMap(n *yaml.Node) map[string]string {
	out := map[string]string{}
	for key, val := range pairs(n) {
		if val.Kind == yaml.ScalarNode {
			out[strings.ToLower(key.Value)] = val.Value
		}
	}
	return out
}

// merged is base with the variables of over added, over winning.
func merged(base, over map[string]string) map[string]string {
	out := make(map[string]string, len(base)+len(over))
	maps.Copy(out, base)
	maps.Copy(out, over)
	return out
}

// grant is where job j's permissions come from: its block, else its workflow's, else (nil) the
// repository's default, or for a reusable workflow's job the calling job's grant.
func (w *workflow) grant(j *job) (*block, string) {
	switch {
	case j.block != nil:
		return j.block, SourceJob
	case w.block != nil:
		return w.block, SourceWorkflow
	case w.callOnly:
		return nil, SourceCaller
	}
	return nil, SourceDefault
}

// job is the job with id, or nil.
func (w *workflow) job(id string) *job {
	for _, j := range w.jobs {
		if j.id == id {
			return j
		}
	}
	return nil
}
