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

// In-cluster endpoints. Each chart names its Service after the release,
// which is named after the add-on; the ports are the charts' defaults.
// TestCrossComponentURLs checks all of them against the pinned charts.
const (
	lokiHTTPPort  = 3100 // loki.server.http_listen_port
	tempoHTTPPort = 3200 // tempo.server.http_listen_port
	tempoOTLPGRPC = 4317 // the one receiver tempoConfig keeps
	alloyOTLPGRPC = 4317
	alloyOTLPHTTP = 4318
)

func lokiURL(cs map[string]charts.Chart) string {
	return fmt.Sprintf("http://%s:%d", serviceHost(charts.Loki, cs), lokiHTTPPort)
}

func serviceHost(addon string, cs map[string]charts.Chart) string {
	return fmt.Sprintf("%s.%s.svc.cluster.local", addon, cs[addon].Namespace)
}

// lokiValues run Loki as a single binary on a persistent volume: the
// scalable modes need object storage this platform does not have.
func lokiValues() map[string]any {
	return map[string]any{
		"deploymentMode": "Monolithic",
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

// tempoValues replace the chart's Tempo configuration with one whose only
// receiver is OTLP over gRPC, which Alloy forwards traces with: the chart
// always enables the Jaeger receivers too, and its templates fail if they
// are removed from tempo.receivers.
func tempoValues() map[string]any {
	return map[string]any{
		"config":      tempoConfig,
		"persistence": map[string]any{"enabled": true, "size": "10Gi"},
	}
}

// tempoReceivers stands in, in tempoConfig, for the chart's
// "toYaml .Values.tempo.receivers" line; the rest of tempoConfig is the
// chart's own configuration template, so the chart's other values still
// apply (TestTempoConfigIsTheChartsWithOneReceiver).
const tempoReceivers = `    otlp:
      protocols:
        grpc:
          endpoint: "0.0.0.0:4317"`

const tempoConfig = `stream_over_http_enabled: {{ .Values.tempo.streamOverHttpEnabled }}
memberlist:
  cluster_label: "{{ .Release.Name }}.{{ .Release.Namespace }}"
multitenancy_enabled: {{ .Values.tempo.multitenancyEnabled }}
usage_report:
  reporting_enabled: {{ .Values.tempo.reportingEnabled }}
compactor:
  compaction:
    block_retention: {{ .Values.tempo.retention }}
distributor:
  receivers:
` + tempoReceivers + `
ingester:
  {{- toYaml .Values.tempo.ingester | nindent 6 }}
server:
  {{- toYaml .Values.tempo.server | nindent 6 }}
storage:
  {{- toYaml .Values.tempo.storage | nindent 6 }}
querier:
  {{- toYaml .Values.tempo.querier | nindent 6 }}
query_frontend:
  {{- toYaml .Values.tempo.queryFrontend | nindent 6 }}
overrides:
  {{- toYaml .Values.tempo.overrides | nindent 6 }}
  {{- if .Values.tempo.metricsGenerator.enabled }}
metrics_generator:
  {{- if .Values.tempo.metricsGenerator.processor }}
  processor:
    {{- toYaml .Values.tempo.metricsGenerator.processor | nindent 8 }}
  {{- end }}
  {{- if .Values.tempo.metricsGenerator.registry }}
  registry:
    {{- toYaml .Values.tempo.metricsGenerator.registry | nindent 8 }}
  {{- end }}
  storage:
    path: {{ .Values.tempo.metricsGenerator.storage.path | quote }}
    {{- if .Values.tempo.metricsGenerator.storage.remote_write }}
    remote_write:
      {{- toYaml .Values.tempo.metricsGenerator.storage.remote_write | nindent 10 }}
    {{- else }}
    remote_write:
      - url: {{ .Values.tempo.metricsGenerator.remoteWriteUrl }}
    {{- end }}
  traces_storage:
    path: {{ .Values.tempo.metricsGenerator.traces_storage.path | quote }}
  {{- end }}
`

// grafanaValues wire the Loki and Tempo datasources that are enabled. The
// admin password is never a value: either an existing Secret is named, or
// the chart generates one into its own Secret and keeps it across upgrades.
//
// Published at a domain, Grafana must know its public URL to build its
// redirects and links.
func grafanaValues(o Observability, url string, cs map[string]charts.Chart) map[string]any {
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
			"url": fmt.Sprintf("http://%s:%d", serviceHost(charts.Tempo, cs), tempoHTTPPort), "isDefault": !o.Loki,
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
	if url != "" {
		v["grafana.ini"] = map[string]any{"server": map[string]any{"root_url": url}}
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

// alloyValues configure Alloy, for whichever of Loki and Tempo is enabled,
// to tail every pod's logs through the Kubernetes API into Loki, and to
// receive OTLP traces from workloads and forward them to Tempo. Alloy runs
// on every node; clustering shares the pods out among the instances, so
// each log line is shipped once rather than once per node.
func alloyValues(o Observability, cs map[string]charts.Chart) map[string]any {
	var cfg []string
	alloy := map[string]any{"clustering": map[string]any{"enabled": true}}
	if o.Loki {
		cfg = append(cfg, fmt.Sprintf(alloyLogs, lokiURL(cs)))
	}
	if o.Tempo {
		cfg = append(cfg, fmt.Sprintf(alloyTraces, alloyOTLPGRPC, alloyOTLPHTTP, serviceHost(charts.Tempo, cs), tempoOTLPGRPC))
		alloy["extraPorts"] = []any{
			map[string]any{"name": "otlp-grpc", "port": int64(alloyOTLPGRPC), "targetPort": int64(alloyOTLPGRPC), "protocol": "TCP"},
			map[string]any{"name": "otlp-http", "port": int64(alloyOTLPHTTP), "targetPort": int64(alloyOTLPHTTP), "protocol": "TCP"},
		}
	}
	alloy["configMap"] = map[string]any{"create": true, "content": strings.Join(cfg, "\n")}
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
  clustering {
    enabled = true
  }
}

loki.write "default" {
  endpoint {
    url = "%s/loki/api/v1/push"
  }
}
`

const alloyTraces = `otelcol.receiver.otlp "default" {
  grpc {
    endpoint = "0.0.0.0:%d"
  }
  http {
    endpoint = "0.0.0.0:%d"
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
    endpoint = "%s:%d"
    tls {
      insecure = true
    }
  }
}
`
