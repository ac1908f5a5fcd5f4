// Package k8s_test checks the Kubernetes manifests of deploy/k8s against
// what a sharded retsim run needs of them.
package k8s_test

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/retsim/retsim/shard"
)

// The manifests' shape, as far as the checks read it.
type (
	job struct {
		Kind     string
		Metadata struct{ Name string }
		Spec     struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    *int
			Parallelism    *int
			Template       struct{ Spec podSpec }
		}
	}
	podSpec struct {
		RestartPolicy string `yaml:"restartPolicy"`
		Containers    []container
		Volumes       []struct {
			Name                  string
			PersistentVolumeClaim *struct {
				ClaimName string `yaml:"claimName"`
			} `yaml:"persistentVolumeClaim"`
		}
	}
	container struct {
		Image string
		Args  []string
		Env   []struct {
			Name      string
			Value     string
			ValueFrom *struct {
				FieldRef *struct {
					FieldPath string `yaml:"fieldPath"`
				} `yaml:"fieldRef"`
			} `yaml:"valueFrom"`
		}
		VolumeMounts []struct {
			Name      string
			MountPath string `yaml:"mountPath"`
		} `yaml:"volumeMounts"`
	}
	claim struct {
		Kind     string
		Metadata struct{ Name string }
		Spec     struct {
			AccessModes []string `yaml:"accessModes"`
		}
	}
)

func read(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// flag is the value after --name in args, or "".
func flag(args []string, name string) string {
	if i := slices.Index(args, name); i >= 0 && i+1 < len(args) {
		return args[i+1]
	}
	return ""
}

// volume is the claim mounted at the container's path, or "".
func volume(p podSpec, c container, path string) string {
	for _, m := range c.VolumeMounts {
		if m.MountPath != path {
			continue
		}
		for _, v := range p.Volumes {
			if v.Name == m.Name && v.PersistentVolumeClaim != nil {
				return v.PersistentVolumeClaim.ClaimName
			}
		}
	}
	return ""
}

const indexVar = "$(JOB_COMPLETION_INDEX)"

// TestManifests: the shards' Job is Indexed, each pod runs --shard auto
// with the index from the Job and the count equal to its completions, and
// writes its shard into its own directory on the shared claim; the merge
// Job reads exactly those directories from the same claim.
func TestManifests(t *testing.T) {
	var pvc claim
	var shards, merge job
	read(t, "pvc.yaml", &pvc)
	read(t, "shards-job.yaml", &shards)
	read(t, "merge-job.yaml", &merge)

	if pvc.Kind != "PersistentVolumeClaim" || !slices.Contains(pvc.Spec.AccessModes, "ReadWriteMany") {
		t.Errorf("pvc.yaml: a %s with access modes %v, want a PersistentVolumeClaim that is ReadWriteMany", pvc.Kind, pvc.Spec.AccessModes)
	}
	s := shards.Spec
	if shards.Kind != "Job" || s.CompletionMode != "Indexed" || s.Completions == nil || s.Parallelism == nil ||
		*s.Parallelism < 1 || *s.Parallelism > *s.Completions {
		t.Fatalf("shards-job.yaml: want a Job with completionMode Indexed, completions, and 1 <= parallelism <= completions")
	}
	n := *s.Completions
	pod := s.Template.Spec
	if pod.RestartPolicy != "Never" || len(pod.Containers) != 1 {
		t.Fatalf("shards-job.yaml: want restartPolicy Never and one container, got %q and %d", pod.RestartPolicy, len(pod.Containers))
	}
	c := pod.Containers[0]
	if flag(c.Args, "--shard") != "auto" {
		t.Errorf("shards-job.yaml: args %v, want --shard auto", c.Args)
	}
	out := flag(c.Args, "--out")
	if !strings.Contains(out, indexVar) {
		t.Errorf("shards-job.yaml: --out %q, want a directory per index, with %s", out, indexVar)
	}
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
		if e.Name == "JOB_COMPLETION_INDEX" && (e.ValueFrom == nil || e.ValueFrom.FieldRef == nil ||
			e.ValueFrom.FieldRef.FieldPath != "metadata.annotations['batch.kubernetes.io/job-completion-index']") {
			t.Errorf("shards-job.yaml: JOB_COMPLETION_INDEX must come from the pod's completion-index annotation")
		}
	}
	count, _ := strconv.Atoi(flag(c.Args, "--shards"))
	for i := range n { // what --shard auto reads in pod i
		env["JOB_COMPLETION_INDEX"] = strconv.Itoa(i)
		spec, err := shard.ParseSpec("auto", count, func(k string) string { return env[k] })
		if err != nil || spec != (shard.Spec{Index: i, Count: n}) {
			t.Errorf("shards-job.yaml: pod %d runs shard %v (%v), want %d/%d", i, spec, err, i, n)
		}
	}
	mountedAt := strings.TrimSuffix(out, "/"+indexVar)
	if claim := volume(pod, c, mountedAt); claim != pvc.Metadata.Name {
		t.Errorf("shards-job.yaml: %s is on claim %q, want the claim of pvc.yaml, %q", mountedAt, claim, pvc.Metadata.Name)
	}

	if merge.Kind != "Job" || len(merge.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("merge-job.yaml: want a Job with one container")
	}
	mc := merge.Spec.Template.Spec.Containers[0]
	if mc.Image != c.Image {
		t.Errorf("merge-job.yaml: image %q, the shards' is %q", mc.Image, c.Image)
	}
	var want []string
	for i := range n {
		want = append(want, strings.ReplaceAll(out, indexVar, strconv.Itoa(i)))
	}
	end := slices.Index(mc.Args, "--out")
	if len(mc.Args) == 0 || mc.Args[0] != "merge" || end < 0 || !slices.Equal(mc.Args[1:end], want) || flag(mc.Args, "--out") == "" {
		t.Errorf("merge-job.yaml: args %v, want merge %s --out DIR", mc.Args, strings.Join(want, " "))
	}
	if claim := volume(merge.Spec.Template.Spec, mc, mountedAt); claim != pvc.Metadata.Name {
		t.Errorf("merge-job.yaml: %s is on claim %q, want %q", mountedAt, claim, pvc.Metadata.Name)
	}
}

// TestImageIsStatic: the image's binary is built without cgo, from the
// command's package, and is the image's entry point.
func TestImageIsStatic(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []string{"CGO_ENABLED=0 go build", "./cmd/retsim", `ENTRYPOINT ["/retsim"]`} {
		if !strings.Contains(text, want) {
			t.Errorf("Dockerfile: no %q", want)
		}
	}
}
