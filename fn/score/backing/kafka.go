package backing

import (
	"strconv"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

const (
	// Apache Kafka's own image (kafka.apache.org/41/getting-started/docker);
	// 3.9 was the last line with ZooKeeper, 4.x is KRaft only, as this
	// broker already ran. A topic Job's pod template cannot change, so its
	// name carries the line (kafkaJobLine) and a new image gets new Jobs.
	kafkaImage      = "apache/kafka:4.1.1"
	kafkaJobLine    = "k41"
	kafkaBroker     = "score-kafka"
	kafkaPort       = 9092
	kafkaCtrlPort   = 9093
	kafkaPartitions = 3
)

// provisionKafkaTopic creates a topic, with a Job, on a single-node KRaft
// broker. As in score-k8s the broker is shared by every topic next to it:
// here that is one broker per namespace, since each workload has its own
// (and one in SharedNamespace for topics with an id). The broker's
// manifests are the same for every topic, and identical manifests are
// merged.
func provisionKafkaTopic(r *provision.Request) *provision.Result {
	t := r.Target
	topic := names.Stable(names.MaxLabel, t.Label)
	host := kafkaBroker + "." + t.Namespace + ".svc"
	return &provision.Result{
		Outputs: map[string]provision.Output{
			"host":           provision.Plain(host),
			"port":           provision.Plain(strconv.Itoa(kafkaPort)),
			"name":           provision.Plain(topic),
			"num_partitions": provision.Plain(strconv.Itoa(kafkaPartitions)),
		},
		Manifests: []manifest.Manifest{
			kafkaService(t.Namespace),
			kafkaStatefulSet(t.Namespace, host),
			kafkaTopicJob(t.Namespace, host, topic),
		},
	}
}

func kafkaService(ns string) manifest.Manifest {
	return backingService(ns, kafkaBroker, "kafka", kafkaPort)
}

func kafkaStatefulSet(ns, host string) manifest.Manifest {
	port, ctrl := strconv.Itoa(kafkaPort), strconv.Itoa(kafkaCtrlPort)
	env := []corev1.EnvVar{
		{Name: "KAFKA_ADVERTISED_LISTENERS", Value: "PLAINTEXT://" + host + ":" + port},
		{Name: "KAFKA_AUTO_CREATE_TOPICS_ENABLE", Value: "false"},
		{Name: "KAFKA_CONTROLLER_LISTENER_NAMES", Value: "CONTROLLER"},
		{Name: "KAFKA_CONTROLLER_QUORUM_VOTERS", Value: "1@localhost:" + ctrl},
		{Name: "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", Value: "0"},
		{Name: "KAFKA_LISTENERS", Value: "PLAINTEXT://:" + port + ",CONTROLLER://:" + ctrl},
		{Name: "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", Value: "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"},
		{Name: "KAFKA_LOG_DIRS", Value: "/var/lib/kafka/data/logs"},
		{Name: "KAFKA_NODE_ID", Value: "1"},
		{Name: "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", Value: "1"},
		{Name: "KAFKA_PROCESS_ROLES", Value: "broker,controller"},
		{Name: "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", Value: "1"},
		{Name: "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", Value: "1"},
	}
	c := corev1.Container{
		Name:         "kafka",
		Image:        kafkaImage,
		Ports:        []corev1.ContainerPort{{Name: "kafka", ContainerPort: kafkaPort, Protocol: corev1.ProtocolTCP}},
		Env:          env,
		VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/var/lib/kafka/data"}},
		ReadinessProbe: &corev1.Probe{
			ProbeHandler:     corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromString("kafka")}},
			PeriodSeconds:    5,
			FailureThreshold: 12,
		},
		SecurityContext: restrictedContainer(),
	}
	return backingStatefulSet(ns, kafkaBroker, corev1.PodSpec{
		AutomountServiceAccountToken: new(false),
		Containers:                   []corev1.Container{c},
		SecurityContext:              restrictedPod(1000),
	})
}

// kafkaTopicJob creates the topic unless it exists, retrying until the
// broker answers.
func kafkaTopicJob(ns, host, topic string) manifest.Manifest {
	name := names.Stable(names.MaxLabel, kafkaBroker, kafkaJobLine, "topic", topic)
	server := "--bootstrap-server=" + host + ":" + strconv.Itoa(kafkaPort)
	script := "set -eu\n" +
		"/opt/kafka/bin/kafka-topics.sh " + server + " --describe --topic='" + topic + "' >/dev/null 2>&1 || " +
		"/opt/kafka/bin/kafka-topics.sh " + server + " --create --topic='" + topic + "' --partitions=" + strconv.Itoa(kafkaPartitions) + " --replication-factor=1\n"
	return manifest.From(&batchv1.Job{
		TypeMeta:   manifest.TypeMeta("batch/v1", "Job"),
		ObjectMeta: manifest.ObjectMeta(ns, name, kafkaBroker),
		Spec: batchv1.JobSpec{
			BackoffLimit: new(int32(10)),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: manifest.Labels(name)},
				Spec: corev1.PodSpec{
					RestartPolicy:                corev1.RestartPolicyOnFailure,
					AutomountServiceAccountToken: new(false),
					SecurityContext:              restrictedPod(1000),
					Containers: []corev1.Container{{
						Name:            "create-topic",
						Image:           kafkaImage,
						Command:         []string{"sh", "-c", script},
						SecurityContext: restrictedContainer(),
					}},
				},
			},
		},
	})
}
