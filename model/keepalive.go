package model

import (
	"fmt"
	"path"
	"strconv"
	"strings"
)

// KeepAlive is how long a backend keeps an idle client connection open
// before closing it, as far as a pod's spec declares it. A proxy in front
// (a load balancer, an Ingress controller) that keeps idle connections
// longer than the backend may send a request down a connection the
// backend is closing, and the client gets a 502 or a reset.
type KeepAlive struct {
	Seconds int `json:"seconds"`
	// Source says where the value was read: "gunicorn --keep-alive 20
	// (container server)".
	Source string `json:"source"`
	// Default is set when nothing sets the value and the server's
	// documented default applies.
	Default bool `json:"default,omitempty"`
}

// Known reports whether anything was declared (or defaulted).
func (k KeepAlive) Known() bool { return k.Seconds > 0 }

// Container is what DeclaredKeepAlive reads of a container.
type Container struct {
	Name    string
	Image   string
	Command []string
	Args    []string
	// Env holds the literal env values (valueFrom is not followed).
	Env map[string]string
}

// Servers whose keep-alive a command line declares, with their documented
// defaults: gunicorn's --keep-alive (docs.gunicorn.org, settings:
// keepalive, 2 s), uvicorn's --timeout-keep-alive (5 s) and nginx's
// keepalive_timeout (75 s), which a command line can only set through -g.
const (
	gunicornDefaultKeepAlive = 2
	uvicornDefaultKeepAlive  = 5
	nginxDefaultKeepAlive    = 75
)

// DeclaredKeepAlive reads the keep-alive of the first container that
// runs a server ktraffic knows: a flag on its command line (a shell's
// "sh -c" string included), the environment the server reads its flags
// from, or the server's default. Zero when no container tells.
func DeclaredKeepAlive(containers []Container) KeepAlive {
	for _, c := range containers {
		if k := containerKeepAlive(c); k.Known() {
			return k
		}
	}
	return KeepAlive{}
}

func containerKeepAlive(c Container) KeepAlive {
	words := commandWords(c.Command, c.Args)
	where := ""
	if c.Name != "" {
		where = " in container " + c.Name
	}
	switch {
	case hasProgram(words, "gunicorn"):
		if n, ok := flagSeconds(words, "--keep-alive"); ok {
			return KeepAlive{Seconds: n, Source: fmt.Sprintf("gunicorn --keep-alive %d%s", n, where)}
		}
		if n, ok := flagSeconds(strings.Fields(c.Env["GUNICORN_CMD_ARGS"]), "--keep-alive"); ok {
			return KeepAlive{Seconds: n, Source: fmt.Sprintf("GUNICORN_CMD_ARGS --keep-alive %d%s", n, where)}
		}
		return KeepAlive{Seconds: gunicornDefaultKeepAlive, Default: true,
			Source: fmt.Sprintf("gunicorn's default --keep-alive %d%s", gunicornDefaultKeepAlive, where)}
	case hasProgram(words, "uvicorn"):
		if n, ok := flagSeconds(words, "--timeout-keep-alive"); ok {
			return KeepAlive{Seconds: n, Source: fmt.Sprintf("uvicorn --timeout-keep-alive %d%s", n, where)}
		}
		return KeepAlive{Seconds: uvicornDefaultKeepAlive, Default: true,
			Source: fmt.Sprintf("uvicorn's default --timeout-keep-alive %d%s", uvicornDefaultKeepAlive, where)}
	case hasProgram(words, "nginx") || (len(words) == 0 && nginxImage(c.Image)):
		if n, ok := nginxKeepAlive(words); ok {
			return KeepAlive{Seconds: n, Source: fmt.Sprintf("nginx -g keepalive_timeout %ds%s", n, where)}
		}
		return KeepAlive{Seconds: nginxDefaultKeepAlive, Default: true,
			Source: fmt.Sprintf("nginx's default keepalive_timeout %ds (unless its configuration sets another)%s", nginxDefaultKeepAlive, where)}
	}
	return KeepAlive{}
}

// commandWords splits command and args into words, and the script of a
// shell's -c into words too.
func commandWords(command, args []string) []string {
	var out []string
	for _, w := range append(append([]string(nil), command...), args...) {
		out = append(out, strings.Fields(w)...)
	}
	return out
}

// hasProgram reports whether a word runs prog: the word itself, a path
// ending in it, or "python -m prog".
func hasProgram(words []string, prog string) bool {
	for i, w := range words {
		w = strings.Trim(w, `"'`)
		if path.Base(w) == prog {
			return true
		}
		if w == "-m" && i+1 < len(words) && strings.Trim(words[i+1], `"'`) == prog {
			return true
		}
	}
	return false
}

// flagSeconds reads "--flag N" or "--flag=N" as whole seconds.
func flagSeconds(words []string, flag string) (int, bool) {
	for i, w := range words {
		w = strings.Trim(w, `"'`)
		v, ok := "", false
		switch {
		case w == flag && i+1 < len(words):
			v, ok = strings.Trim(words[i+1], `"'`), true
		case strings.HasPrefix(w, flag+"="):
			v, ok = strings.TrimPrefix(w, flag+"="), true
		}
		if !ok {
			continue
		}
		if n, err := strconv.ParseFloat(v, 64); err == nil && n > 0 && n < 1e7 {
			return int(n), true
		}
	}
	return 0, false
}

// nginxKeepAlive reads keepalive_timeout from nginx's -g directives.
func nginxKeepAlive(words []string) (int, bool) {
	text := strings.Join(words, " ")
	i := strings.Index(text, "keepalive_timeout")
	if i < 0 {
		return 0, false
	}
	rest := strings.Fields(strings.NewReplacer(";", " ", `"`, " ", "'", " ").Replace(text[i+len("keepalive_timeout"):]))
	if len(rest) == 0 {
		return 0, false
	}
	return nginxDuration(rest[0])
}

// nginxDuration reads nginx's time syntax: "75", "75s", "2m", "1m30s".
func nginxDuration(v string) (int, bool) {
	total, num := 0, ""
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			num += string(r)
		case num == "":
			return 0, false
		default:
			n, _ := strconv.Atoi(num)
			switch r {
			case 's':
				total += n
			case 'm':
				total += 60 * n
			case 'h':
				total += 3600 * n
			default:
				return 0, false
			}
			num = ""
		}
	}
	if num != "" {
		n, _ := strconv.Atoi(num)
		total += n
	}
	return total, total > 0
}

// nginxImage reports an image that runs nginx when the pod gives no
// command: the official images and their common rebuilds.
func nginxImage(image string) bool {
	name := image
	if i := strings.LastIndexByte(name, '@'); i >= 0 {
		name = name[:i]
	}
	if i := strings.LastIndexByte(name, ':'); i > strings.LastIndexByte(name, '/') {
		name = name[:i]
	}
	base := path.Base(name)
	return base == "nginx" || base == "nginx-unprivileged"
}
