package githubapi

// APIURLOf exposes the REST API root a client sends to, for tests of its derivation.
func APIURLOf(c *Client) string { return c.apiURL.String() }

// SetBodyLimits changes the response body bounds of c, so that tests need not send 64 MiB.
func SetBodyLimits(c *Client, errorBody, body int64) {
	t := c.http.Transport.(*transport)
	t.maxErrorBody, t.maxBody = errorBody, body
}
