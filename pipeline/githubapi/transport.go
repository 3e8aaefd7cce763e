package githubapi

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Timeouts bound every request at the transport, per attempt. None of them caps how long a
// request may take while it makes progress: a 2 GiB upload that keeps moving finishes however
// long it takes, and the whole command is bounded by its context instead.
type Timeouts struct {
	// Connect bounds opening the TCP connection, DNS included. Default 10s.
	Connect time.Duration
	// TLSHandshake bounds the TLS handshake after connecting. Default 10s.
	TLSHandshake time.Duration
	// ResponseHeader bounds the wait for the response headers, counted from the moment the
	// whole request, body included, has been written. Default 30s: GitHub itself ends a
	// request that takes it more than 10 seconds.
	ResponseHeader time.Duration
	// Idle bounds how long a connection may go without moving a byte in the direction the
	// client is waiting on: a response body that stops arriving, or a request body the server
	// stops reading. Every byte moved resets it. Default 60s.
	Idle time.Duration
}

// Defaults of Timeouts.
const (
	DefaultConnectTimeout        = 10 * time.Second
	DefaultTLSHandshakeTimeout   = 10 * time.Second
	DefaultResponseHeaderTimeout = 30 * time.Second
	DefaultIdleTimeout           = 60 * time.Second
)

// withDefaults fills in the zero (or negative) fields of t.
func (t Timeouts) withDefaults() Timeouts {
	def := func(d, fallback time.Duration) time.Duration {
		if d <= 0 {
			return fallback
		}
		return d
	}
	return Timeouts{
		Connect:        def(t.Connect, DefaultConnectTimeout),
		TLSHandshake:   def(t.TLSHandshake, DefaultTLSHandshakeTimeout),
		ResponseHeader: def(t.ResponseHeader, DefaultResponseHeaderTimeout),
		Idle:           def(t.Idle, DefaultIdleTimeout),
	}
}

// MaxIdleConnsPerHost is how many idle connections the client keeps per host, so that
// uploads at any concurrency up to it (publish's default is 4) reuse their connections instead
// of opening one per request: net/http keeps only 2 by default.
const MaxIdleConnsPerHost = 16

// maxIdleConnAge is how long an unused connection stays in the pool at most (the default
// of net/http); never longer than half the idle timeout, which would close it anyway.
const maxIdleConnAge = 90 * time.Second

// configure returns base, an *http.Transport (nil: http.DefaultTransport), cloned and set up
// with the timeouts t. Any other RoundTripper is returned as it is: its deadlines are its own.
func configure(base http.RoundTripper, t Timeouts) http.RoundTripper {
	var tr *http.Transport
	switch b := base.(type) {
	case nil:
		tr = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		tr = b.Clone()
	default:
		return base
	}
	dial := tr.DialContext
	if dial == nil {
		dial = (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext
	}
	tr.DialContext = (&dialer{dial: dial, connect: t.Connect, idle: t.Idle}).DialContext
	tr.TLSHandshakeTimeout = t.TLSHandshake
	tr.ResponseHeaderTimeout = t.ResponseHeader
	tr.IdleConnTimeout = min(maxIdleConnAge, t.Idle/2)
	tr.MaxIdleConnsPerHost = MaxIdleConnsPerHost
	tr.MaxIdleConns = 2 * MaxIdleConnsPerHost // the API host and the upload host
	tr.ExpectContinueTimeout = time.Second
	tr.WriteBufferSize = 64 << 10 // the headers and the start of a body, in one write
	return tr
}

// deadline names one of the Timeouts.
type deadline int

const (
	deadlineConnect deadline = iota
	deadlineTLS
	deadlineHeaders
	deadlineIdle
)

// A deadlineError is a per-request deadline of the transport that passed. It is a net.Error
// whose Timeout is true; classify turns it into a NetworkError that names the deadline.
type deadlineError struct {
	deadline deadline
	host     string        // host:port of the connection
	after    time.Duration // the deadline's length
	err      error         // the I/O error it ended, for an idle connection
}

func (e *deadlineError) Error() string {
	switch e.deadline {
	case deadlineConnect:
		return "could not connect to " + e.host + " within " + e.after.String()
	case deadlineTLS:
		return "the TLS handshake with " + e.host + " did not finish within " + e.after.String()
	case deadlineHeaders:
		return e.host + " sent no response within " + e.after.String() + " of receiving the whole request"
	default:
		return "the connection to " + e.host + " stalled: no data moved for " + e.after.String()
	}
}

// remediation is the fix for the deadline that passed.
func (e *deadlineError) remediation() string {
	switch e.deadline {
	case deadlineConnect:
		return "Check that the runner can reach " + e.host + " (proxy, firewall, DNS) and re-run; GitHub's status is at https://www.githubstatus.com."
	case deadlineTLS:
		return "Check that nothing between the runner and " + e.host + " holds up HTTPS (a proxy must be named in HTTPS_PROXY) and re-run."
	case deadlineHeaders:
		return "Re-run later: " + e.host + " took the request but did not answer (check https://www.githubstatus.com, or your GitHub Enterprise Server's health)."
	default:
		return "Re-run; if it stalls again, check the network between the runner and " + e.host +
			" for a proxy or firewall that holds up long transfers."
	}
}

func (e *deadlineError) Timeout() bool   { return true }
func (e *deadlineError) Temporary() bool { return true }
func (e *deadlineError) Unwrap() error   { return e.err }

// dialer opens connections within the connect timeout and wraps them in idle deadlines.
type dialer struct {
	dial          func(ctx context.Context, network, addr string) (net.Conn, error)
	connect, idle time.Duration
}

// errConnectTimeout is the cause of a dial's context when the connect timeout passed.
var errConnectTimeout = errors.New("connect timeout")

func (d *dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	dctx, cancel := context.WithTimeoutCause(ctx, d.connect, errConnectTimeout)
	defer cancel()
	conn, err := d.dial(dctx, network, addr)
	if err != nil {
		if ctx.Err() == nil && errors.Is(context.Cause(dctx), errConnectTimeout) {
			return nil, &deadlineError{deadline: deadlineConnect, host: addr, after: d.connect}
		}
		return nil, err
	}
	return &idleConn{Conn: conn, idle: d.idle, addr: addr}, nil
}

// maxWriteChunk bounds one Write on an idleConn, so that the write deadline measures progress
// rather than the time a large buffer takes.
const maxWriteChunk = 64 << 10

// idleConn is a connection on which every Read and Write must move a byte within idle. A Write
// also extends a pending Read's deadline: the answer to what was written is awaited from then
// on, not from when the read began (which, on a kept-alive connection, is when it went idle).
type idleConn struct {
	net.Conn
	idle    time.Duration
	addr    string
	stalled atomic.Pointer[deadlineError] // set once a deadline passed
}

func (c *idleConn) Read(p []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.idle)); err != nil {
		return 0, c.explain(err)
	}
	n, err := c.Conn.Read(p)
	return n, c.explain(err)
}

func (c *idleConn) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), maxWriteChunk)]
		if err := c.Conn.SetWriteDeadline(time.Now().Add(c.idle)); err != nil {
			return written, c.explain(err)
		}
		n, err := c.Conn.Write(chunk)
		written += n
		if err != nil {
			return written, c.explain(err)
		}
		if err := c.Conn.SetReadDeadline(time.Now().Add(c.idle)); err != nil {
			return written, c.explain(err)
		}
		p = p[n:]
	}
	return written, nil
}

// copyBufferSize is the buffer an upload body is copied to the connection through: large
// enough that a big asset takes few writes (io.Copy would use 32 KiB), small enough to keep
// memory flat.
const copyBufferSize = 256 << 10

var copyBuffers = sync.Pool{New: func() any { b := make([]byte, copyBufferSize); return &b }}

// ReadFrom copies a request body to the connection through a large buffer, in Writes that each
// keep the idle deadline.
func (c *idleConn) ReadFrom(r io.Reader) (int64, error) {
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)
	return io.CopyBuffer(writerOnly{c}, r, *buf)
}

// writerOnly hides an idleConn's ReadFrom from io.CopyBuffer, which would call it again.
type writerOnly struct{ io.Writer }

// explain turns a passed I/O deadline into a deadlineError, also for the other direction: when
// a read times out, net/http closes the connection under a blocked write, which then fails
// with net.ErrClosed, and the other way round.
func (c *idleConn) explain(err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		de := &deadlineError{deadline: deadlineIdle, host: c.addr, after: c.idle, err: err}
		c.stalled.CompareAndSwap(nil, de)
		return de
	}
	if de := c.stalled.Load(); de != nil && errors.Is(err, net.ErrClosed) {
		return de
	}
	return err
}

// Bounds on what the client reads of a response body.
const (
	// MaxErrorBody is how much of an error response (status 400 and up) is read: GitHub's
	// error messages are a few hundred bytes, and the rest is dropped unread.
	MaxErrorBody = 64 << 10
	// MaxBody is the most a successful response may hold; a longer one fails as unexpected.
	// A page of 100 releases with long notes is far below it.
	MaxBody = 64 << 20
)

// transport counts requests, adds the token for the configured hosts only, bounds response
// bodies and names the deadline that ended a request.
type transport struct {
	base                  http.RoundTripper
	token                 string
	origins               []string // scheme://host of the API and upload URLs
	timeouts              Timeouts
	maxErrorBody, maxBody int64
	sent                  *atomic.Int64
	seen                  *observations
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.sent.Add(1)
	ctx := req.Context()
	var tlsTimedOut, wrote atomic.Bool
	traced := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			var te interface{ Timeout() bool }
			if errors.As(err, &te) && te.Timeout() {
				tlsTimedOut.Store(true)
			}
		},
		WroteRequest: func(info httptrace.WroteRequestInfo) { wrote.Store(info.Err == nil) },
	})
	req = req.Clone(traced)
	if slices.Contains(t.origins, origin(req.URL)) {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, t.explain(ctx, req, err, tlsTimedOut.Load(), wrote.Load())
	}
	t.seen.record(resp.Header)
	body := &boundedBody{body: resp.Body, left: t.maxBody, host: hostPort(req)}
	if resp.StatusCode >= http.StatusBadRequest {
		body.left, body.cut = t.maxErrorBody, true
	}
	body.limit = body.left
	resp.Body = body
	return resp, nil
}

// boundedBody reads at most limit bytes of a response body: past them an error body just ends
// (go-github reads all of it into memory to find the message), and any other body fails.
type boundedBody struct {
	body  io.ReadCloser
	left  int64
	limit int64
	cut   bool
	host  string
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		if b.cut {
			// Close the rest now: go-github swaps an error body for a copy of what it read and
			// closes only the copy, which would keep the connection, and the server, waiting.
			if err := b.body.Close(); err != nil {
				return 0, err
			}
			return 0, io.EOF
		}
		var one [1]byte
		if n, err := io.ReadFull(b.body, one[:]); n == 0 {
			return 0, err
		}
		return 0, &tooLargeError{host: b.host, limit: b.limit}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *boundedBody) Close() error { return b.body.Close() }

// A tooLargeError is a successful response longer than MaxBody.
type tooLargeError struct {
	host  string
	limit int64
}

func (e *tooLargeError) Error() string {
	if e.limit%(1<<20) == 0 {
		return fmt.Sprintf("the answer from %s is longer than %d MiB", e.host, e.limit>>20)
	}
	return fmt.Sprintf("the answer from %s is longer than %d bytes", e.host, e.limit)
}

// explain names the deadline behind a timeout err of a request that is not done otherwise: its
// context is the caller's business and is left alone.
func (t *transport) explain(ctx context.Context, req *http.Request, err error, tlsTimedOut, wrote bool) error {
	var (
		de *deadlineError
		te interface{ Timeout() bool }
	)
	if ctx.Err() != nil || errors.As(err, &de) || !errors.As(err, &te) || !te.Timeout() {
		return err
	}
	switch {
	case tlsTimedOut:
		return &deadlineError{deadline: deadlineTLS, host: hostPort(req), after: t.timeouts.TLSHandshake}
	case wrote:
		return &deadlineError{deadline: deadlineHeaders, host: hostPort(req), after: t.timeouts.ResponseHeader}
	}
	return err
}

// hostPort is the host and port req goes to, as a dial names them.
func hostPort(req *http.Request) string {
	if req.URL.Port() != "" {
		return req.URL.Host
	}
	port := "80"
	if req.URL.Scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(req.URL.Hostname(), port)
}

// maxRedirects bounds the redirects one request follows.
const maxRedirects = 5

// checkRedirect is the http.Client's redirect policy: a redirect is followed only to the same
// scheme and host, and only when the method stays what it was (a 307 or 308, or any redirect of
// a GET or HEAD), at most maxRedirects times. Anything else fails with a redirectError, so the
// token never leaves the configured hosts (go-github adds no token; this client's transport
// would add it for a configured host only, but a redirect to a look-alike host must not even
// be tried) and a write is never turned into a read that looks like success.
func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0]
	problem := ""
	switch {
	case origin(req.URL) != origin(first.URL):
		problem = "to another host or scheme"
	case req.Method != first.Method:
		problem = "that would turn the " + first.Method + " into a " + req.Method
	case len(via) >= maxRedirects:
		problem = "after " + strconv.Itoa(len(via)) + " redirects already"
	default:
		return nil
	}
	e := &redirectError{to: req.URL, problem: problem}
	if req.Response != nil {
		e.status = req.Response.StatusCode
	}
	return e
}

// A redirectError is a redirect the client refused to follow.
type redirectError struct {
	status  int
	to      *url.URL
	problem string
}

func (e *redirectError) Error() string {
	return "the answer was a redirect " + e.problem + ", to " + quoteURL(e.to) + ", which is not followed"
}
