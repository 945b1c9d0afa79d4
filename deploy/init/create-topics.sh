#!/bin/sh
# Creates every topic of the catalogue (io.authstream.schemas.Topics) with its configs; safe to
# run again (an existing topic gets the catalogue's configs, its partitions are left as they are).
# ComposeStackTest checks this list against the catalogue. Settings: KAFKA_BOOTSTRAP_SERVERS,
# TOPIC_PARTITIONS.
set -eu

create() {
  topic="$1"
  shift
  configs=""
  for config in "$@"; do
    configs="$configs --config $config"
  done
  # shellcheck disable=SC2086
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$topic" --partitions "$TOPIC_PARTITIONS" --replication-factor 1 $configs
  # A topic made by an older version keeps its old configs otherwise (event-time retention, say).
  /opt/kafka/bin/kafka-configs.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --alter --entity-type topics \
    --entity-name "$topic" --add-config "$(echo "$@" | tr ' ' ',')"
}

create auth.events.raw cleanup.policy=delete retention.ms=604800000 message.timestamp.type=LogAppendTime
create auth.events.deadletter cleanup.policy=delete retention.ms=2592000000 message.timestamp.type=LogAppendTime max.message.bytes=8388608
create auth.deadletter.redriven cleanup.policy=compact
create auth.events.ordered cleanup.policy=delete retention.ms=604800000 message.timestamp.type=LogAppendTime
create auth.profiles cleanup.policy=compact
create auth.analytics cleanup.policy=compact
create auth.security.alerts cleanup.policy=delete retention.ms=2592000000 message.timestamp.type=LogAppendTime
create auth.notifications cleanup.policy=delete retention.ms=604800000 message.timestamp.type=LogAppendTime
create auth.notifications.sent cleanup.policy=compact
create employee.provisioning.requests cleanup.policy=delete retention.ms=604800000 message.timestamp.type=LogAppendTime
create employee.provisioning.results cleanup.policy=delete retention.ms=2592000000 message.timestamp.type=LogAppendTime
create auth.rules cleanup.policy=compact
echo "topics ready"
