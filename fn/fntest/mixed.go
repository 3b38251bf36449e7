package fntest

import (
	"encoding/json"
	"fmt"
)

// MixedInput is the function Input of Mixed claims: every default, plus a
// platform provisioner for the llm-model resource type in score-k8s'
// template format and an environment value.
const MixedInput = `{"apiVersion":"platformcluster.fn.crossplane.io/v1beta1","kind":"Input","workloads":{
	"environment": {"LOG_LEVEL": {"value": "info"}},
	"provisioners":[
	{"uri": "template://platform/llm-model", "type": "llm-model",
	 "init": "key: {{ randAlphaNum 24 }}\n",
	 "state": "service: llm-{{ substr 0 8 .Guid }}\nmodel: {{ .Params.model | default \"smollm2\" | quote }}\n",
	 "outputs": "url: http://{{ .State.service }}:11434/v1\nmodel: {{ .State.model }}\napi-key: {{ .Init.key }}\n",
	 "manifests": "- apiVersion: v1\n  kind: Secret\n  metadata: {name: '{{ .State.service }}'}\n  data: {api-key: '{{ .Init.key | b64enc }}'}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: '{{ .State.service }}'}\n  spec:\n    selector: {matchLabels: {app: '{{ .State.service }}'}}\n    template:\n      metadata: {labels: {app: '{{ .State.service }}'}}\n      spec:\n        containers:\n        - name: ollama\n          image: docker.io/ollama/ollama:0.6.8\n          env:\n          - name: OLLAMA_API_KEY\n            valueFrom: {secretKeyRef: {name: '{{ .State.service }}', key: api-key}}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: '{{ .State.service }}'}\n  spec:\n    selector: {app: '{{ .State.service }}'}\n    ports: [{port: 11434}]\n"}
]}}`

// mixedResources are the resource sets Mixed cycles through: every built-in
// type, a dependency on the previous workload, and a platform-provisioned
// type.
var mixedResources = []func(prev string) (map[string]any, map[string]any){
	func(string) (map[string]any, map[string]any) {
		return map[string]any{"db": map[string]any{"type": "postgres"}, "dns": map[string]any{"type": "dns"},
				"route": map[string]any{"type": "route", "params": map[string]any{"host": "${resources.dns.host}", "path": "/", "port": "web"}}},
			map[string]any{"DB": "postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}/${resources.db.name}"}
	},
	func(string) (map[string]any, map[string]any) {
		return map[string]any{"db": map[string]any{"type": "mysql"}, "cache": map[string]any{"type": "redis"}},
			map[string]any{"DB_PASSWORD": "${resources.db.password}", "REDIS": "${resources.cache.host}:${resources.cache.port}"}
	},
	func(string) (map[string]any, map[string]any) {
		return map[string]any{"docs": map[string]any{"type": "mongodb"}, "queue": map[string]any{"type": "amqp", "id": "orders"}},
			map[string]any{"MONGO": "${resources.docs.connection}", "AMQP": "amqp://${resources.queue.username}:${resources.queue.password}@${resources.queue.host}/${resources.queue.vhost}"}
	},
	func(string) (map[string]any, map[string]any) {
		return map[string]any{"sql": map[string]any{"type": "mssql"}, "files": map[string]any{"type": "s3"}},
			map[string]any{"MSSQL": "${resources.sql.connection}", "S3": "${resources.files.endpoint}/${resources.files.bucket}", "S3_KEY": "${resources.files.secret_key}"}
	},
	func(string) (map[string]any, map[string]any) {
		return map[string]any{"events": map[string]any{"type": "kafka-topic"}, "pg": map[string]any{"type": "postgres-instance"}},
			map[string]any{"KAFKA": "${resources.events.host}:${resources.events.port}", "TOPIC": "${resources.events.name}", "PG": "${resources.pg.host}"}
	},
	func(prev string) (map[string]any, map[string]any) {
		return map[string]any{prev: map[string]any{"type": "service"}, "llm": map[string]any{"type": "llm-model"},
				"peer": map[string]any{"type": "service-port", "params": map[string]any{"workload": prev, "port": "web"}}},
			map[string]any{"UPSTREAM": "http://${resources." + prev + ".name}", "LLM": "${resources.llm.url}", "LLM_KEY": "${resources.llm.api-key}",
				"PEER": "${resources.peer.hostname}:${resources.peer.port}"}
	},
	func(prev string) (map[string]any, map[string]any) {
		return map[string]any{"hpa": map[string]any{"type": "horizontal-pod-autoscaler", "params": map[string]any{"maxReplicas": 5}},
				"api": map[string]any{"type": "endpoint", "id": prev, "params": map[string]any{"port": "web"}},
				"env": map[string]any{"type": "environment"}, "search": map[string]any{"type": "elasticsearch"}, "dns": map[string]any{"type": "dns"}},
			map[string]any{"API": "${resources.api.url}", "LOG_LEVEL": "${resources.env.LOG_LEVEL}", "PUBLIC_URL": "${resources.dns.url}",
				"ES": "http://${resources.search.username}:${resources.search.password}@${resources.search.host}:${resources.search.port}"}
	},
}

// Mixed returns a claim with every add-on and n Score workloads of mixed
// resource types (all built-in ones, service dependencies and a type only
// MixedInput's provisioner serves), everything an ordinary platform claim
// with many teams would hold.
func Mixed(n int) string {
	ws := make([]any, 0, n)
	for i := range n {
		name := fmt.Sprintf("svc-%02d", i)
		prev := fmt.Sprintf("svc-%02d", (i+n-1)%n)
		res, vars := mixedResources[i%len(mixedResources)](prev)
		ws = append(ws, map[string]any{"name": name, "score": map[string]any{
			"apiVersion": "score.dev/v1b1",
			"metadata":   map[string]any{"name": name},
			"containers": map[string]any{"main": map[string]any{
				"image":          "ghcr.io/example/" + name + ":1.0",
				"variables":      vars,
				"resources":      map[string]any{"requests": map[string]any{"cpu": "100m", "memory": "128Mi"}},
				"readinessProbe": map[string]any{"httpGet": map[string]any{"path": "/healthz", "port": 8080}},
			}},
			"service":   map[string]any{"ports": map[string]any{"web": map[string]any{"port": 80, "targetPort": 8080}}},
			"resources": res,
		}})
	}
	spec := map[string]any{
		"clusterSpec": map[string]any{
			"clusterName": "mixed", "labels": map[string]any{"team": "platform"},
			"nodePools": []any{map[string]any{"name": "default", "type": "g6-standard-4", "count": 3}},
		},
		"components": map[string]any{
			"gatewayFabric": map[string]any{"enabled": true},
			"o11yStack":     map[string]any{"enabled": true},
			"userApps":      map[string]any{"domain": "apps.example.com"},
		},
		"workloads": ws,
	}
	b, _ := json.Marshal(spec)
	return string(b)
}
