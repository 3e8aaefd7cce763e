package githubapi

import (
	"fmt"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// Repo names a GitHub repository.
type Repo struct{ Owner, Name string }

// Limits of GitHub's account and repository names.
const (
	maxOwnerLen = 39
	maxNameLen  = 100
)

// ParseRepo parses "owner/name" as GitHub spells it (GITHUB_REPOSITORY,
// ${{ github.repository }}). Owner is 1-39 letters, digits, hyphens or
// underscores (managed users carry an _suffix) and does not start with a
// hyphen or underscore; name is 1-100 letters, digits, '.', '-' or '_' and is
// not "." or "..". A failure is an *outcome.Error of class InvalidInput.
func ParseRepo(s string) (Repo, error) {
	owner, name, ok := strings.Cut(s, "/")
	if !ok || strings.Contains(name, "/") {
		return Repo{}, invalidRepo(s, "is not in OWNER/NAME form")
	}
	r := Repo{Owner: owner, Name: name}
	if err := r.Validate(); err != nil {
		return Repo{}, err
	}
	return r, nil
}

// Validate checks both parts of r with the rules of ParseRepo.
func (r Repo) Validate() error {
	if problem := ownerProblem(r.Owner); problem != "" {
		return invalidRepo(r.Owner+"/"+r.Name, "has an invalid owner: "+problem)
	}
	if problem := nameProblem(r.Name); problem != "" {
		return invalidRepo(r.Owner+"/"+r.Name, "has an invalid repository name: "+problem)
	}
	return nil
}

// String returns "owner/name".
func (r Repo) String() string { return r.Owner + "/" + r.Name }

func ownerProblem(owner string) string {
	switch {
	case owner == "":
		return "it is empty"
	case len(owner) > maxOwnerLen:
		return fmt.Sprintf("it is longer than %d characters", maxOwnerLen)
	case owner[0] == '-' || owner[0] == '_':
		return "it starts with a hyphen or underscore"
	}
	for _, c := range []byte(owner) {
		if !isAlnum(c) && c != '-' && c != '_' {
			return "only letters, digits, hyphens and underscores are allowed"
		}
	}
	return ""
}

func nameProblem(name string) string {
	switch {
	case name == "":
		return "it is empty"
	case len(name) > maxNameLen:
		return fmt.Sprintf("it is longer than %d characters", maxNameLen)
	case name == "." || name == "..":
		return `"." and ".." are reserved`
	}
	for _, c := range []byte(name) {
		if !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return "only letters, digits, '.', '-' and '_' are allowed"
		}
	}
	return ""
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func invalidRepo(input, problem string) *outcome.Error {
	return outcome.Invalid("parse repository", "repo", outcome.Quote(input)+" "+problem,
		"Pass the repository as OWNER/NAME, for example octocat/hello-world; in GitHub Actions use ${{ github.repository }}.")
}
