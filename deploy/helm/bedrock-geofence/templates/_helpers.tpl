{{- define "bedrock-geofence.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "bedrock-geofence.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "bedrock-geofence.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "bedrock-geofence.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "bedrock-geofence.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bedrock-geofence.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "bedrock-geofence.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "bedrock-geofence.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "bedrock-geofence.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "bedrock-geofence.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The pod's whole stop budget: the preStop sleep, then the gateway's own drain (shutdown.graceSeconds, 30 when the
config leaves it out), then a margin for the exit itself. Kubernetes kills the pod when it runs out, so it must
outlast the drain or in-flight streams are cut.
*/}}
{{- define "bedrock-geofence.terminationGracePeriodSeconds" -}}
{{- $drain := dig "shutdown" "graceSeconds" 30 .Values.config }}
{{- add .Values.preStopSleepSeconds $drain .Values.terminationGraceMarginSeconds }}
{{- end }}

{{/* The Service, probes and NetworkPolicy name ports 8080 and 9090; a config listening elsewhere would be unreachable. */}}
{{- define "bedrock-geofence.checkPorts" -}}
{{- if ne (int (dig "listen" "port" 0 .Values.config)) 8080 }}
{{- fail "config.listen.port must be 8080: the Service, NetworkPolicy and container port name it" }}
{{- end }}
{{- if ne (int (dig "admin" "port" 0 .Values.config)) 9090 }}
{{- fail "config.admin.port must be 9090: the probes, ServiceMonitor and NetworkPolicy name it" }}
{{- end }}
{{- end }}
