package report

// Fixtures shared by the tests: one report per outcome a user sees most.

const (
	clampedMessage = "create draft release in octo/hello: 403 Resource not accessible by integration (needs contents=write): " +
		"set Settings → Actions → General → Workflow permissions to Read and write permissions"
	clampedRemediation = "Set Settings → Actions → General → Workflow permissions → Read and write permissions. " +
		"If that choice is greyed out, the organization forces read-only: change Organization Settings → Actions → General → Workflow permissions. " +
		"`permissions: contents: write` on the job grants it to that job alone."
	rateLimitedMessage = "create draft release in octo/hello: 403 API rate limit exceeded: wait until 2026-05-01T12:30:00Z, when the limit resets"
	leftoverWarning    = "leftover draft release 1234: delete it with `gh api -X DELETE repos/octo/hello/releases/1234` or `release-preflight sweep --repo octo/hello`"
)

func okReport() Report {
	return Report{
		Outcome:  OutcomeOK,
		Class:    "ok",
		Repo:     "octo/hello",
		ProbeTag: "preflight-permcheck-run42-attempt1",
		Requests: 2, ElapsedMS: 812,
		Message: "GitHub write permission confirmed in octo/hello: draft release created and deleted",
	}
}

func clampedReport() Report {
	return Report{
		Outcome:             OutcomeFailed,
		Class:               "clamped",
		Repo:                "octo/hello",
		ProbeTag:            "preflight-permcheck-run42-attempt1",
		Requests:            1,
		ElapsedMS:           304,
		RequiredPermissions: "contents=write",
		Remediation:         clampedRemediation,
		Message:             clampedMessage,
		RequestID:           "C0DE:1F:2A:3B",
	}
}

func rateLimitedReport() Report {
	return Report{
		Outcome:     OutcomeFailed,
		Class:       "rate-limited",
		Repo:        "octo/hello",
		ProbeTag:    "preflight-permcheck-run42-attempt2",
		Requests:    3,
		ElapsedMS:   1250,
		Remediation: "Wait until 2026-05-01T12:30:00Z, then re-run the job. Or use a GitHub App token, which has its own quota.",
		Message:     rateLimitedMessage,
		Warnings:    []string{leftoverWarning, "retried 2 times after 502 Bad Gateway,\nthen hit the rate limit"},
	}
}
