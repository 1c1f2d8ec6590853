#!/usr/bin/env bash
# A producer of the mailer from the shell (kcat): publishes a templated email and a plain one to mail.outbox,
# each with the record key equal to its id, then follows mail.status until both are SENT.
#
#   examples/shell/send-emails.sh [BOOTSTRAP_SERVERS]
#
# Settings: BOOTSTRAP_SERVERS (if no argument; default 127.0.0.1:9092), OUTBOX_TOPIC (mail.outbox),
# STATUS_TOPIC (mail.status), TIMEOUT_SECONDS (120). Exit 0 when both are SENT, 1 otherwise.
set -euo pipefail

bootstrap=${1:-${BOOTSTRAP_SERVERS:-127.0.0.1:9092}}
outbox=${OUTBOX_TOPIC:-mail.outbox}
status_topic=${STATUS_TOPIC:-mail.status}
timeout=${TIMEOUT_SECONDS:-120}
suffix=$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
invoice_id=invoice-$suffix
welcome_id=welcome-$suffix

# A templated email: the mailer renders the tenant's template "invoice" with data when it sends it.
invoice='{"id":"'$invoice_id'","to":["bob@example.com"],"template":"invoice","data":{"number":"2026-0042",'
invoice+='"customer":{"name":"Bob"},"total":"EUR 120.00","lines":[{"item":"Consulting","amount":"EUR 120.00"}]}}'
# A plain email: subject and body as they are.
welcome='{"id":"'$welcome_id'","to":["bob@example.com"],"subject":"Welcome, Bob",'
welcome+='"text":"Hello Bob, your account is ready."}'

# Statuses are read from a little before this moment (timestamps in ms), whatever else the topic holds.
since=$(( $(date +%s%3N) - 10000 ))

# One record per line, "KEY|VALUE": the record key must equal the event's id.
printf '%s|%s\n' "$invoice_id" "$invoice" "$welcome_id" "$welcome" \
  | kcat -P -b "$bootstrap" -t "$outbox" -K '|' -X acks=all
echo "published $invoice_id $welcome_id"

coproc STATUSES { exec kcat -C -q -u -b "$bootstrap" -t "$status_topic" -o "s@$since" -f '%k\t%s\n'; }
trap 'kill "$STATUSES_PID" 2>/dev/null || true' EXIT

invoice_status="" welcome_status=""
while [ "$SECONDS" -lt "$timeout" ] && IFS=$'\t' read -r -t $(( timeout - SECONDS )) key value <&"${STATUSES[0]}"; do
  [ "$key" = "$invoice_id" ] || [ "$key" = "$welcome_id" ] || continue
  status=$(sed -n 's/.*"status" *: *"\([A-Z_]*\)".*/\1/p' <<< "$value")
  error=$(sed -n 's/.*"error" *: *"\([^"]*\)".*/ (\1)/p' <<< "$value")
  echo "$key: $status$error"
  if [ "$status" = DEAD_LETTERED ]; then
    echo "FAILED: $key was dead-lettered: $value" >&2
    exit 1
  fi
  if [ "$key" = "$invoice_id" ]; then invoice_status=$status; else welcome_status=$status; fi
  if [ "$invoice_status" = SENT ] && [ "$welcome_status" = SENT ]; then
    echo "both emails SENT"
    exit 0
  fi
done
echo "FAILED: not every email was SENT within $timeout s (last: $invoice_id ${invoice_status:-none}," \
  "$welcome_id ${welcome_status:-none})" >&2
exit 1
