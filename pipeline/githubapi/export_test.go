package githubapi

// APIURLOf exposes the REST API root a client sends to, for tests of its derivation.
func APIURLOf(c *Client) string { return c.apiURL.String() }
