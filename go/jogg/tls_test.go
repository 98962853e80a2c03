package jogg

import (
	"bufio"
	"os/exec"
	"strings"
	"testing"
)

// startTLSMock starts `jogg-mock --tls` and returns its base URL and the file of its CA
// certificate, read from the two lines it prints on stderr.
func startTLSMock(t *testing.T) (base, ca string) {
	t.Helper()
	mock := exec.Command(mockBinary(), "--tls", "--render-ms", "300")
	stderr, err := mock.StderrPipe()
	if err == nil {
		err = mock.Start()
	}
	if err != nil {
		t.Fatalf("jogg-mock --tls: %v", err)
	}
	t.Cleanup(func() {
		mock.Process.Kill()
		mock.Wait()
	})
	lines := bufio.NewReader(stderr)
	for base == "" {
		line, err := lines.ReadString('\n')
		if err != nil {
			t.Fatalf("jogg-mock --tls printed no address: %v", err)
		}
		line = strings.TrimSpace(line)
		// strings.CutPrefix needs Go 1.20; go.mod says 1.19.
		const caLine, urlLine = "jogg-mock CA certificate: ", "jogg-mock listening on "
		if strings.HasPrefix(line, caLine) {
			ca = strings.TrimPrefix(line, caLine)
		} else if strings.HasPrefix(line, urlLine) {
			base = strings.TrimPrefix(line, urlLine)
		}
	}
	if !strings.HasPrefix(base, "https://") || ca == "" {
		t.Fatalf("base %q, CA %q", base, ca)
	}
	return base, ca
}

// ca_file and tls_roots reach the library through the config JSON: with the mock's CA as
// ca_file the handshake succeeds; with the bundled roots only, it fails as ErrTLS.
func TestTLSTrustFromConfig(t *testing.T) {
	base, ca := startTLSMock(t)
	head := `{"api_key": "jogg-mock-key", "base_url": "` + base + `", "proxy": "none", `
	trusting, err := NewClient(head + `"ca_file": "` + ca + `", "tls_roots": "ca_file_only"}`)
	if err != nil {
		t.Fatal(err)
	}
	defer trusting.Close()
	voices, err := trusting.ListVoices(`{}`)
	if err != nil || !strings.Contains(voices, `"voice_id"`) {
		t.Fatalf("voices over TLS: %v %s", err, voices)
	}
	untrusting, err := NewClient(head + `"tls_roots": "bundled"}`)
	if err != nil {
		t.Fatal(err)
	}
	defer untrusting.Close()
	_, err = untrusting.ListVoices(`{}`)
	e := asError(t, err, ErrTLS)
	if !strings.Contains(e.Message, strings.TrimPrefix(base, "https://")) || !strings.Contains(e.Message, "unknown issuer") {
		t.Fatalf("%s", e.JSON)
	}
	_, err = NewClient(head + `"tls_roots": "ca_file_only"}`)
	if e := asError(t, err, ErrInvalidConfig); e.Field != "tls_roots" {
		t.Fatalf("%s", e.JSON)
	}
}
