package addons

import (
	"fmt"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/charts"
)

// Observability says which parts of the stack are on.
type Observability struct {
	Loki, Tempo, Grafana, Alloy bool
	// GrafanaAdminSecret names an existing Secret with the admin
	// credentials; empty lets the chart generate them.
	GrafanaAdminSecret string
}

// In-cluster endpoints; each chart's Service is named after its release.
func lokiURL(cs map[string]charts.Chart) string {
	return fmt.Sprintf("http://%s.%s.svc.cluster.local:3100", charts.Loki, cs[charts.Loki].Namespace)
}

func tempoHost(cs map[string]charts.Chart) string {
	return fmt.Sprintf("%s.%s.svc.cluster.local", charts.Tempo, cs[charts.Tempo].Namespace)
}

// lokiValues run Loki as a single binary on a persistent volume: the
// simple-scalable default needs object storage this platform does not have.
func lokiValues() map[string]any {
	return map[string]any{
		"deploymentMode": "SingleBinary",
		"loki": map[string]any{
			"auth_enabled": false,
			"commonConfig": map[string]any{"replication_factor": int64(1)},
			"storage":      map[string]any{"type": "filesystem"},
			"schemaConfig": map[string]any{"configs": []any{map[string]any{
				"from":         "2024-04-01",
				"store":        "tsdb",
				"object_store": "filesystem",
				"schema":       "v13",
				"index":        map[string]any{"prefix": "loki_index_", "period": "24h"},
			}}},
		},
		"singleBinary": map[string]any{
			"replicas":    int64(1),
			"persistence": map[string]any{"enabled": true, "size": "10Gi"},
		},
		"backend":      map[string]any{"replicas": int64(0)},
		"read":         map[string]any{"replicas": int64(0)},
		"write":        map[string]any{"replicas": int64(0)},
		"gateway":      map[string]any{"enabled": false},
		"chunksCache":  map[string]any{"enabled": false},
		"resultsCache": map[string]any{"enabled": false},
		"lokiCanary":   map[string]any{"enabled": false},
		"test":         map[string]any{"enabled": false},
		"minio":        map[string]any{"enabled": false},
	}
}

func tempoValues() map[string]any {
	return map[string]any{
		"tempo": map[string]any{
			"receivers": map[string]any{"otlp": map[string]any{"protocols": map[string]any{
				"grpc": map[string]any{"endpoint": "0.0.0.0:4317"},
				"http": map[string]any{"endpoint": "0.0.0.0:4318"},
			}}},
		},
		"persistence": map[string]any{"enabled": true, "size": "10Gi"},
	}
}

// grafanaValues wire the Loki and Tempo datasources that are enabled. The
// admin password is never a value: either an existing Secret is named, or
// the chart generates one into its own Secret and keeps it across upgrades.
func grafanaValues(o Observability, cs map[string]charts.Chart) map[string]any {
	var ds []any
	if o.Loki {
		ds = append(ds, map[string]any{
			"name": "Loki", "type": "loki", "uid": "loki", "access": "proxy",
			"url": lokiURL(cs), "isDefault": true,
		})
	}
	if o.Tempo {
		tempo := map[string]any{
			"name": "Tempo", "type": "tempo", "uid": "tempo", "access": "proxy",
			"url": fmt.Sprintf("http://%s:3200", tempoHost(cs)), "isDefault": !o.Loki,
		}
		if o.Loki {
			tempo["jsonData"] = map[string]any{
				"tracesToLogsV2": map[string]any{"datasourceUid": "loki"},
				"lokiSearch":     map[string]any{"datasourceUid": "loki"},
			}
		}
		ds = append(ds, tempo)
	}
	v := map[string]any{"persistence": map[string]any{"enabled": true, "size": "5Gi"}}
	if len(ds) > 0 {
		v["datasources"] = map[string]any{"datasources.yaml": map[string]any{
			"apiVersion": int64(1), "datasources": ds,
		}}
	}
	if o.GrafanaAdminSecret != "" {
		v["admin"] = map[string]any{
			"existingSecret": o.GrafanaAdminSecret,
			"userKey":        "admin-user",
			"passwordKey":    "admin-password",
		}
	}
	return v
}

// alloyValues configure Alloy to tail every pod's logs through the
// Kubernetes API into Loki, and to receive OTLP traces and forward them to
// Tempo, for whichever of the two is enabled.
func alloyValues(o Observability, cs map[string]charts.Chart) map[string]any {
	var cfg []string
	var ports []any
	if o.Loki {
		cfg = append(cfg, fmt.Sprintf(alloyLogs, lokiURL(cs)))
	}
	if o.Tempo {
		cfg = append(cfg, fmt.Sprintf(alloyTraces, tempoHost(cs)))
		ports = []any{
			map[string]any{"name": "otlp-grpc", "port": int64(4317), "targetPort": int64(4317), "protocol": "TCP"},
			map[string]any{"name": "otlp-http", "port": int64(4318), "targetPort": int64(4318), "protocol": "TCP"},
		}
	}
	alloy := map[string]any{"configMap": map[string]any{"create": true, "content": strings.Join(cfg, "\n")}}
	if len(ports) > 0 {
		alloy["extraPorts"] = ports
	}
	return map[string]any{"alloy": alloy}
}

const alloyLogs = `discovery.kubernetes "pods" {
  role = "pod"
}

discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets
  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
    target_label  = "app"
  }
}

loki.source.kubernetes "pods" {
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.default.receiver]
}

loki.write "default" {
  endpoint {
    url = "%s/loki/api/v1/push"
  }
}
`

const alloyTraces = `otelcol.receiver.otlp "default" {
  grpc {
    endpoint = "0.0.0.0:4317"
  }
  http {
    endpoint = "0.0.0.0:4318"
  }
  output {
    traces = [otelcol.processor.batch.default.input]
  }
}

otelcol.processor.batch "default" {
  output {
    traces = [otelcol.exporter.otlp.tempo.input]
  }
}

otelcol.exporter.otlp "tempo" {
  client {
    endpoint = "%s:4317"
    tls {
      insecure = true
    }
  }
}
`
