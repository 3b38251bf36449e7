package backing

import (
	"slices"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// passwordKey is the Secret key of every database password output.
const passwordKey = "password"

// database describes one engine: a single-replica StatefulSet with a
// Service and a Secret, as score-k8s' default provisioners make. The
// password is not generated here; the Secret is listed in provision.GeneratedSecret.
type database struct {
	// typ names the container and its port (at most 15 characters).
	typ       string
	image     string
	port      int32
	dataPath  string
	fixedUser string // a fixed user name, or "" to derive one
	userMax   int    // user name length limit
	// fixedDB is a fixed database name, or "" to derive one.
	fixedDB string
	// named says the engine has named databases (outputs name, database).
	named bool
	// secretKeys are generated; only passwordKey is an output.
	secretKeys []string
	env        func(db, user, secret string) []corev1.EnvVar
	command    []string
	// probe is an exec readiness probe; nil probes the port over TCP.
	probe  func(db, user string) []string
	secure bool
	// fsGroup lets an image that runs as a fixed non-root user write
	// its volume.
	fsGroup int64
	// outputs adds the engine's own outputs to host, port, username and
	// password.
	outputs func(c dbConn, out map[string]provision.Output)
}

// dbConn is what an engine's extra outputs are made of.
type dbConn struct {
	host, port, user, db string
	password             *provision.SecretRef
}

// Backing-service images, each an exact tag that exists at its source,
// checked there on 2026-12-07 (README, "Backing-service images"). Postgres
// and MySQL keep their major version: a new major cannot start on the
// data directory of the old one.
const (
	postgresImage = "postgres:17.11-alpine"
	mysqlImage    = "mysql:8.4.11"
	// Valkey, the BSD-licensed continuation of Redis (redis:7 is RSALv2 or
	// SSPLv1 only), from valkey-io/valkey-container.
	valkeyImage = "valkey/valkey:9.0.4-alpine"
	// 8.3, not 8.0: mongo:8 last pointed at 8.2, and 8.0 cannot start on
	// data whose featureCompatibilityVersion is 8.2; 8.3 reads 8.0 and 8.2.
	mongoImage = "mongo:8.3.8"
	// 4.2, the line an in-place upgrade from 3.13 (the old
	// 3-management-alpine) is documented for.
	rabbitmqImage      = "rabbitmq:4.2.9-management-alpine"
	elasticsearchImage = "elasticsearch:9.4.5"
)

var databases = map[string]*database{
	"postgres": {
		typ: "postgres", image: postgresImage, port: 5432,
		dataPath: "/var/lib/postgresql/data", userMax: 63, named: true,
		secretKeys: []string{passwordKey},
		env: func(db, user, secret string) []corev1.EnvVar {
			return []corev1.EnvVar{
				// A subdirectory, because the volume root holds lost+found,
				// which initdb refuses.
				{Name: "PGDATA", Value: "/var/lib/postgresql/data/pgdata"},
				{Name: "POSTGRES_DB", Value: db},
				{Name: "POSTGRES_PASSWORD", ValueFrom: provision.SecretRef{Name: secret, Key: passwordKey}.EnvVarSource()},
				{Name: "POSTGRES_USER", Value: user},
			}
		},
		probe:  func(db, user string) []string { return []string{"pg_isready", "-U", user, "-d", db} },
		secure: true,
	},
	"mysql": {
		typ: "mysql", image: mysqlImage, port: 3306,
		dataPath: "/var/lib/mysql", userMax: 32, named: true,
		secretKeys: []string{passwordKey, "root-password"},
		env: func(db, user, secret string) []corev1.EnvVar {
			return []corev1.EnvVar{
				{Name: "MYSQL_DATABASE", Value: db},
				{Name: "MYSQL_PASSWORD", ValueFrom: provision.SecretRef{Name: secret, Key: passwordKey}.EnvVarSource()},
				{Name: "MYSQL_ROOT_PASSWORD", ValueFrom: provision.SecretRef{Name: secret, Key: "root-password"}.EnvVarSource()},
				{Name: "MYSQL_USER", Value: user},
			}
		},
		probe: func(string, string) []string { return []string{"mysqladmin", "ping", "-h", "localhost"} },
	},
	"redis": {
		typ: "redis", image: valkeyImage, port: 6379,
		dataPath: "/data", fixedUser: "default",
		secretKeys: []string{passwordKey},
		env: func(_, _, secret string) []corev1.EnvVar {
			return []corev1.EnvVar{{Name: "REDIS_PASSWORD", ValueFrom: provision.SecretRef{Name: secret, Key: passwordKey}.EnvVarSource()}}
		},
		// The configuration goes in on stdin so the password is neither in
		// the manifest nor on valkey-server's command line; exec keeps
		// valkey-server as PID 1 so it gets SIGTERM and saves. A relaxed
		// RDB version check loads the dump redis:7 (7.4, RDB 12) left on
		// the volume.
		command: []string{"sh", "-c", "exec valkey-server - <<EOF\nrequirepass $REDIS_PASSWORD\nport 6379\nsave 60 1\nloglevel warning\nrdb-version-check relaxed\nEOF\n"},
		probe: func(string, string) []string {
			return []string{"sh", "-c", `REDISCLI_AUTH="$REDIS_PASSWORD" valkey-cli ping | grep -q PONG`}
		},
		secure: true,
	},
	"postgres-instance": {
		typ: "postgres", image: postgresImage, port: 5432,
		dataPath: "/var/lib/postgresql/data", userMax: 63,
		secretKeys: []string{passwordKey},
		env: func(_, user, secret string) []corev1.EnvVar {
			return []corev1.EnvVar{
				{Name: "PGDATA", Value: "/var/lib/postgresql/data/pgdata"},
				{Name: "POSTGRES_PASSWORD", ValueFrom: provision.SecretRef{Name: secret, Key: passwordKey}.EnvVarSource()},
				{Name: "POSTGRES_USER", Value: user},
			}
		},
		probe:  func(_, user string) []string { return []string{"pg_isready", "-U", user, "-d", user} },
		secure: true,
	},
	"mongodb": {
		typ: "mongodb", image: mongoImage, port: 27017,
		dataPath: "/data/db", userMax: 63,
		secretKeys: []string{passwordKey},
		env: func(_, user, secret string) []corev1.EnvVar {
			return []corev1.EnvVar{
				{Name: "MONGO_INITDB_ROOT_PASSWORD", ValueFrom: provision.SecretRef{Name: secret, Key: passwordKey}.EnvVarSource()},
				{Name: "MONGO_INITDB_ROOT_USERNAME", Value: user},
			}
		},
		// ping needs no credentials, so none go on a command line.
		probe: func(string, string) []string {
			return []string{"mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"}
		},
		outputs: func(c dbConn, out map[string]provision.Output) {
			out["connection"] = provision.Output{Parts: provision.Text{
				{Text: "mongodb://" + c.user + ":"}, {Secret: c.password}, {Text: "@" + c.host + ":" + c.port + "/"},
			}}
		},
	},
	"amqp": {
		typ: "amqp", image: rabbitmqImage, port: 5672,
		dataPath: "/var/lib/rabbitmq", userMax: 63,
		secretKeys: []string{passwordKey},
		env: func(vhost, user, secret string) []corev1.EnvVar {
			return []corev1.EnvVar{
				{Name: "RABBITMQ_DEFAULT_PASS", ValueFrom: provision.SecretRef{Name: secret, Key: passwordKey}.EnvVarSource()},
				{Name: "RABBITMQ_DEFAULT_USER", Value: user},
				{Name: "RABBITMQ_DEFAULT_VHOST", Value: vhost},
			}
		},
		probe: func(string, string) []string {
			return []string{"rabbitmq-diagnostics", "-q", "check_port_connectivity"}
		},
		outputs: func(c dbConn, out map[string]provision.Output) {
			out["vhost"] = provision.Plain(c.db)
		},
	},
	"elasticsearch": {
		// As score-compose's default provisioner: one node, user elastic,
		// outputs host, port, username and password. Its HTTP API is plain
		// HTTP inside the cluster (score-compose sets up a CA for TLS).
		typ: "elasticsearch", image: elasticsearchImage, port: 9200,
		dataPath: "/usr/share/elasticsearch/data", fixedUser: "elastic", fsGroup: 1000,
		secretKeys: []string{passwordKey},
		env: func(_, _, secret string) []corev1.EnvVar {
			return []corev1.EnvVar{
				{Name: "ELASTIC_PASSWORD", ValueFrom: provision.SecretRef{Name: secret, Key: passwordKey}.EnvVarSource()},
				{Name: "ES_JAVA_OPTS", Value: "-Xms512m -Xmx512m"},
				{Name: "discovery.type", Value: "single-node"},
				{Name: "xpack.security.enabled", Value: "true"},
				{Name: "xpack.security.http.ssl.enabled", Value: "false"},
			}
		},
	},
	"mssql": {
		typ: "mssql", image: "mcr.microsoft.com/mssql/server:2022-CU27-ubuntu-22.04", port: 1433,
		dataPath: "/var/opt/mssql", fixedUser: "sa", fixedDB: "master", fsGroup: 10001,
		secretKeys: []string{passwordKey},
		env: func(_, _, secret string) []corev1.EnvVar {
			return []corev1.EnvVar{
				{Name: "ACCEPT_EULA", Value: "Y"},
				{Name: "MSSQL_SA_PASSWORD", ValueFrom: provision.SecretRef{Name: secret, Key: passwordKey}.EnvVarSource()},
			}
		},
		outputs: func(c dbConn, out map[string]provision.Output) {
			// score-k8s names the host "server".
			out["server"] = out["host"]
			delete(out, "host")
			out["database"] = provision.Plain(c.db)
			out["connection"] = provision.Output{Parts: provision.Text{
				{Text: "Server=tcp:" + c.host + "," + c.port + ";Initial Catalog=" + c.db + ";User ID=" + c.user + ";Password="},
				{Secret: c.password},
			}}
		},
	},
}

// provisionDatabase provisions a dedicated database instance. Its names
// follow from the workload and resource names (or the id, when shared);
// score-k8s draws them at random and keeps them in a state file.
func databaseProvisioner(typ string) func(*provision.Request) *provision.Result {
	db := databases[typ]
	return func(r *provision.Request) *provision.Result { return provisionDatabase(db, r.Target) }
}

func provisionDatabase(db *database, t provision.Target) *provision.Result {
	dbName := db.fixedDB
	if dbName == "" {
		dbName = names.Identifier(t.Ident, 63)
	}
	user := db.fixedUser
	if user == "" {
		user = names.Identifier(t.Ident, db.userMax)
	}
	conn := dbConn{
		host: t.Base + "." + t.Namespace + ".svc", port: strconv.Itoa(int(db.port)),
		user: user, db: dbName, password: &provision.SecretRef{Name: t.Base, Key: passwordKey},
	}
	p := &provision.Result{
		Outputs: map[string]provision.Output{
			"host":     provision.Plain(conn.host),
			"port":     provision.Plain(conn.port),
			"username": provision.Plain(user),
			"password": {Secret: conn.password},
		},
		Manifests: []manifest.Manifest{
			manifest.Secret(t.Namespace, t.Base),
			db.service(t),
			db.statefulSet(t, dbName, user),
		},
		Secrets: []provision.GeneratedSecret{{Namespace: t.Namespace, Name: t.Base, Keys: slices.Sorted(slices.Values(db.secretKeys))}},
	}
	if db.named {
		p.Outputs["name"] = provision.Plain(dbName)
		p.Outputs["database"] = provision.Plain(dbName)
	}
	if db.outputs != nil {
		db.outputs(conn, p.Outputs)
	}
	if t.Shared {
		p.ConsumerSecrets = []provision.GeneratedSecret{{Name: t.Base, Keys: []string{passwordKey}}}
	}
	return p
}

func (db *database) service(t provision.Target) manifest.Manifest {
	return backingService(t.Namespace, t.Base, db.typ, db.port)
}

func (db *database) statefulSet(t provision.Target, dbName, user string) manifest.Manifest {
	c := corev1.Container{
		Name:    db.typ,
		Image:   db.image,
		Command: db.command,
		Ports:   []corev1.ContainerPort{{Name: db.typ, ContainerPort: db.port, Protocol: corev1.ProtocolTCP}},
		Env:     db.env(dbName, user, t.Base),
		VolumeMounts: []corev1.VolumeMount{{
			Name:      "data",
			MountPath: db.dataPath,
		}},
		ReadinessProbe: &corev1.Probe{PeriodSeconds: 3},
	}
	if db.probe != nil {
		c.ReadinessProbe.Exec = &corev1.ExecAction{Command: db.probe(dbName, user)}
	} else {
		c.ReadinessProbe.TCPSocket = &corev1.TCPSocketAction{Port: intstr.FromInt32(db.port)}
	}
	pod := corev1.PodSpec{
		AutomountServiceAccountToken: new(false),
		Containers:                   []corev1.Container{c},
	}
	if db.fsGroup != 0 {
		pod.SecurityContext = &corev1.PodSecurityContext{FSGroup: new(db.fsGroup)}
	}
	if db.secure {
		// As score-k8s: the postgres and redis images run unprivileged.
		pod.Containers[0].SecurityContext = &corev1.SecurityContext{
			RunAsUser:                new(int64(1000)),
			RunAsGroup:               new(int64(1000)),
			AllowPrivilegeEscalation: new(false),
			Privileged:               new(false),
			Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
		}
		pod.SecurityContext = &corev1.PodSecurityContext{
			RunAsNonRoot:   new(true),
			FSGroup:        new(int64(1000)),
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		}
	}
	return backingStatefulSet(t.Namespace, t.Base, pod)
}
