"""Built-in word knowledge for tag splitting: product names, vendors and English glue words.

Written from general knowledge of backend tooling, not from any book. The user's
``tags.toml`` can add products and phrases; see ``aliases.py``.
"""
from __future__ import annotations

# Vendors that prefix a product name: "AWS SQS", "Google Cloud Storage", "Apache Kafka".
# A vendor word continues into the capitalised words after it.
VENDORS = frozenset("""
AWS Amazon Azure Google GCP Microsoft Apache Oracle IBM Netflix Facebook Meta Spring Elastic
HashiCorp Confluent Alibaba Heroku Vercel Netlify DigitalOcean
""".split())

# Products and tools that are a tag on their own. Two of them side by side are two tags
# ("Redis Memcached"); one followed by a capitalised feature word is one tag ("Redis Cluster").
PRODUCTS = frozenset("""
Redis Memcached Valkey KeyDB Hazelcast Ehcache Caffeine Guava Varnish Squid
PostgreSQL Postgres MySQL MariaDB SQLite MongoDB Cassandra ScyllaDB DynamoDB CockroachDB
Spanner TiDB YugabyteDB Vitess Citus HBase Bigtable Couchbase CouchDB Riak Neo4j
Elasticsearch OpenSearch Solr Lucene ClickHouse Druid Snowflake BigQuery Redshift
InfluxDB TimescaleDB Prometheus Grafana Datadog Splunk Kibana Logstash Fluentd
Jaeger Zipkin OpenTelemetry Sentry PagerDuty Honeycomb Thanos CloudWatch
Kafka RabbitMQ ActiveMQ Pulsar NATS ZeroMQ SQS SNS Kinesis EventBridge Celery Sidekiq
Resque BullMQ Temporal Airflow Debezium Flink Hadoop
Kubernetes K8s Docker Podman Nomad Consul etcd ZooKeeper Istio Linkerd Envoy
Nginx HAProxy Traefik Kong Apigee Caddy Tomcat Jetty Gunicorn Uvicorn
Terraform Ansible Pulumi Helm ArgoCD Jenkins GitHub GitLab CircleCI Git
Lambda ECS EKS EC2 S3 RDS Aurora ElastiCache CloudFront Route53 ALB NLB ELB
Vault Okta Auth0 Keycloak Cognito Firebase Supabase Stripe Twilio Cloudflare Akamai Fastly
JMeter Gatling Locust k6 Artillery Postman Swagger OpenAPI
GraphQL gRPC Protobuf Avro Thrift WebSocket WebSockets WebRTC
Hystrix Resilience4j Redlock Redisson PgBouncer HikariCP ProxySQL
Hibernate Sequelize TypeORM Prisma SQLAlchemy Django Rails Laravel NestJS FastAPI
Flask Node.js Deno Java Python Ruby Erlang Elixir Scala Kotlin Golang
Apollo DataLoader Hasura ClamAV Linux
LaunchDarkly Unleash Flagsmith Patroni Socket.io SignalR RocksDB Eureka Zuul Spinnaker
Redpanda MinIO Ceph Dynatrace Loki
""".split())

# Acronyms that name a concept and stand as a tag of their own: after a product they
# start a new tag ("MySQL ACID"), where a command or feature acronym would not
# ("Redis SETNX", "Kubernetes HPA").
CONCEPT_ACRONYMS = frozenset("""
ACID BASE CAP CDN CQRS CDC APM RBAC ABAC JWT ORM TTL SLA SLO SLI WAF ETL ELT OLTP OLAP MVCC
SSO MFA TLS SSL mTLS HTTPS REST RPC SOAP CI/CD BFF API APIs SDK CLI UI UX SQL NoSQL NewSQL
LRU LFU FIFO LIFO RPO RTO SPOF DDD TDD SSE CORS CSRF XSS DDoS OWASP PII GDPR HIPAA PCI ACL
TCP UDP QUIC VPC CPU RAM GPU SSD IOPS HOL RDB AOF WAL OAuth OIDC SAML 2PC XA
""".split())

# Words that hold a phrase together: a tag never starts or ends on one of them
# ("CDN for static assets", "trade availability for consistency").
GLUE_BOTH = frozenset("""
for of to with and or in on at by from into onto than vs versus via per without within
when while where whether if as but nor so between over under across through after before
against during is are was were be been being can could should would will may might must
has have had does do did uses that which who whose like about around among toward towards
beyond despite upon throughout until unless because although though whereas
""".split())

# SQL keywords, written in capitals: a run of them is one clause ("SELECT FOR UPDATE").
# Left out: words that are as often Redis commands or features ("SET", "CLUSTER").
SQL_KEYWORDS = frozenset("""
SELECT INSERT UPDATE DELETE MERGE UPSERT CREATE DROP ALTER INDEX TABLE VIEW FROM WHERE JOIN
LEFT RIGHT INNER OUTER ON FOR SHARE SKIP LOCKED NOWAIT ORDER GROUP BY LIMIT OFFSET RETURNING
CONFLICT DO NOTHING BEGIN COMMIT ROLLBACK SAVEPOINT TRANSACTION ISOLATION LEVEL READ WRITE
COMMITTED UNCOMMITTED REPEATABLE SERIALIZABLE EXPLAIN ANALYZE VACUUM CONCURRENTLY UNIQUE
PRIMARY FOREIGN KEY REFERENCES CASCADE ROW INTO VALUES AS WITH RECURSIVE UNION ALL HAVING
DISTINCT TRUNCATE OPTIMIZE REINDEX PARTITION OVER WINDOW CASE WHEN THEN ELSE END NULL NOT
EXISTS BETWEEN LIKE ILIKE FULL CROSS LATERAL USING GRANT REVOKE
""".split())

# Verbs that make a row a sentence ("Deletes are safe to repeat"): a note, kept whole.
AUXILIARIES = frozenset("""
is are was were be been being can could should would will may might must does do did has have
had cannot won't can't isn't aren't doesn't don't
""".split())

# Conjunctions that join clauses ("cheap but slow", "warms the cache then serves"): a note.
CLAUSE_CONJUNCTIONS = frozenset("but while although though then because unless so".split())

# Words that may start a phrase but never end one ("no single point of failure",
# "use a lock").
GLUE_NEXT = frozenset("""
a an the no not non each every all any some more most less least very too its their
your our his her this these those both either neither such same own use using
need needs
""".split())

# Everyday adjectives that WordNet also lists as a noun or verb ("a gentle", "to slow"), so
# its word lists alone cannot tell they describe the word after them ("slow consumers").
COMMON_ADJECTIVES = frozenset("""
gentle wet clean open free dry fast slow full empty hot cold warm cool high low long short
deep shallow heavy light hard soft strong weak safe single double separate total public
private main primary prime new old stale fresh live dead real normal general common rare
random same easy tight loose flat thin thick raw rich poor direct closed busy idle active
passive manual round square wide narrow broad fine firm plain pure quick smooth steady
sticky sharp blank bulk
""".split())

# Function words of English prose: the words around a noun phrase, never inside one. Used
# to read how the prose uses a word: before another content word (a modifier, "disk
# storage") or before a function word or a break (a head, "... of the storage").
FUNCTION_WORDS = GLUE_BOTH | GLUE_NEXT | frozenset("""
i me my we us you he him she it they them what who whom whose which there here then than
also just only even not no nor yet still again ever never always often once about above
below up down out off over under again further very too quite rather so such both each
few many much more most other some any all none one it's its itself themselves ourselves
am is are was were be been being have has had having do does did doing would should could
ought how why when where while because until unless although though whereas instead
""".split())
