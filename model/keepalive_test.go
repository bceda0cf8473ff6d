package model

import "testing"

func TestDeclaredKeepAlive(t *testing.T) {
	tests := []struct {
		name    string
		c       Container
		seconds int
		def     bool
	}{
		{"seed 004's gunicorn", Container{Command: []string{"gunicorn", "--workers", "1", "-k", "gevent", "--bind", "0.0.0.0:8000", "--timeout", "10", "--keep-alive", "20", "app:app"}}, 20, false},
		{"equals form in args", Container{Command: []string{"/usr/local/bin/gunicorn"}, Args: []string{"--keep-alive=75", "app:app"}}, 75, false},
		{"python -m and a shell", Container{Command: []string{"sh", "-c", "exec python -m gunicorn --keep-alive 65 app:app"}}, 65, false},
		{"from GUNICORN_CMD_ARGS", Container{Command: []string{"gunicorn", "app:app"}, Env: map[string]string{"GUNICORN_CMD_ARGS": "--bind=0.0.0.0 --keep-alive 90"}}, 90, false},
		{"gunicorn's default", Container{Args: []string{"gunicorn", "app:app"}}, 2, true},
		{"uvicorn", Container{Command: []string{"uvicorn", "main:app", "--timeout-keep-alive", "30"}}, 30, false},
		{"uvicorn's default", Container{Command: []string{"uvicorn", "main:app"}}, 5, true},
		{"nginx -g", Container{Command: []string{"nginx", "-g", "daemon off; keepalive_timeout 2m;"}}, 120, false},
		{"nginx image, no command", Container{Image: "docker.io/library/nginx:1.27"}, 75, true},
		{"something else", Container{Image: "registry.example/app:1.2.3", Command: []string{"/app", "--keep-alive", "20"}}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := DeclaredKeepAlive([]Container{{Name: "sidecar", Image: "envoyproxy/envoy"}, tt.c})
			if k.Seconds != tt.seconds || k.Default != tt.def {
				t.Errorf("got %+v, want %d s (default %v)", k, tt.seconds, tt.def)
			}
			if tt.seconds > 0 && k.Source == "" {
				t.Error("no source")
			}
		})
	}
}
