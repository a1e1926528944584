package io.github.intuneexporter.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every PromQL query of the report, in one place: a renamed metric is a one-line change here. Placeholders, filled
 * in by {@link #expand}: {@code {S}} the series matchers (job, and tenant when one is chosen), {@code {T}} the
 * matchers of ALERTS, {@code {J}} the job matcher alone, {@code {R}} the length of the period, {@code {STEP}} the
 * resolution of subqueries and {@code {W}} the window of one chart point. Every query groups by {@code tenant}, so
 * an MSP report gets one row per tenant; a single-tenant exporter has no tenant label and shows as "default".
 *
 * <p>A metric Prometheus does not hold (an older exporter, a collector switched off) leaves its table empty with a note
 * that says so.
 */
final class ReportQueries {
    private ReportQueries() {}

    // Metric names.
    static final String MANAGED_DEVICES = "intune_managed_devices";
    static final String DEVICES_ENCRYPTED = "intune_devices_encrypted";
    static final String DEVICES_JAILBROKEN = "intune_devices_jailbroken";
    static final String DEFENDER_DEVICES = "intune_defender_devices";
    static final String MALWARE_ACTIVE = "intune_malware_active_devices";
    static final String MALWARE_DETECTED = "intune_malware_detected_devices";
    static final String ENROLLMENT_FAILURES = "intune_enrollment_failures_total";
    static final String APP_INSTALL_DEVICES = "intune_app_install_devices";
    static final String CONNECTOR_EXPIRY = "intune_connector_expiration_timestamp_seconds";
    static final String CREDENTIAL_EXPIRY = "intune_exporter_credential_expiration_timestamp_seconds";
    static final String TENANT_INFO = "intune_tenant_info";
    static final String BUILD_INFO = "intune_exporter_build_info";
    static final String LAST_SUCCESS = "intune_collector_last_success_timestamp_seconds";
    // The interval as run: the configured one, or longer where the Graph budget stretched it.
    static final String INTERVAL = "intune_collector_effective_interval_seconds";
    static final String RUNS = "intune_collector_runs_total";
    static final String FAILURES = "intune_collector_failures_total";
    /** Devices whose MDM certificate expires within {@code days} (7, 30, 90), by operating system (devices collector). */
    static final String CERTIFICATE_EXPIRING = "intune_management_certificate_expiring_devices";
    /** Intune audit events (admin changes) by category, operation type and result (audit collector). */
    static final String AUDIT_EVENTS = "intune_audit_events_total";

    /** Alerts of the Intune bundle (alert-rules/intune-alerts.rules.yml). */
    static final String ALERT_NAMES = "Intune.*";

    /** The metrics whose presence in the period decides what a section can show (one query, see {@link #PRESENT}). */
    static final List<String> KNOWN = List.of(
            MANAGED_DEVICES,
            DEVICES_ENCRYPTED,
            DEVICES_JAILBROKEN,
            DEFENDER_DEVICES,
            MALWARE_ACTIVE,
            MALWARE_DETECTED,
            ENROLLMENT_FAILURES,
            APP_INSTALL_DEVICES,
            CONNECTOR_EXPIRY,
            CREDENTIAL_EXPIRY,
            TENANT_INFO,
            BUILD_INFO,
            LAST_SUCCESS,
            INTERVAL,
            RUNS,
            FAILURES,
            CERTIFICATE_EXPIRING,
            AUDIT_EVENTS);

    static final String EVALUATED = "compliant|noncompliant|in_grace_period|error|conflict";

    /** Which of {@link #KNOWN} Prometheus holds for the exporter at any time in the period. */
    static final String PRESENT =
            "count by (__name__) (last_over_time({__name__=~\"" + String.join("|", KNOWN) + "\", {J}}[{R}]))";

    // Compliance.
    static final String COMPLIANCE_RATIO =
            "sum by (tenant) (" + MANAGED_DEVICES + "{{S}, compliance_state=\"compliant\"})" + " / sum by (tenant) ("
                    + MANAGED_DEVICES + "{{S}, compliance_state=~\"" + EVALUATED + "\"})";
    static final String COMPLIANCE_LOWEST = "min_over_time((" + COMPLIANCE_RATIO + ")[{R}:{STEP}])";
    static final String DEVICES = "sum by (tenant) (" + MANAGED_DEVICES + "{{S}})";
    static final String NONCOMPLIANT =
            "sum by (tenant) (" + MANAGED_DEVICES + "{{S}, compliance_state=\"noncompliant\"})";
    static final String COMPLIANCE_BY_OS = "sum by (tenant, operating_system) (" + MANAGED_DEVICES
            + "{{S}, compliance_state=\"compliant\"})" + " / sum by (tenant, operating_system) (" + MANAGED_DEVICES
            + "{{S}, compliance_state=~\"" + EVALUATED + "\"})";
    static final String DEVICES_BY_OS = "sum by (tenant, operating_system) (" + MANAGED_DEVICES + "{{S}})";
    static final String NONCOMPLIANT_BY_OS =
            "sum by (tenant, operating_system) (" + MANAGED_DEVICES + "{{S}, compliance_state=\"noncompliant\"})";

    // Protection.
    static final String ENCRYPTED_RATIO = "sum by (tenant) (" + DEVICES_ENCRYPTED
            + "{{S}, encrypted=\"true\"}) / sum by (tenant) (" + DEVICES_ENCRYPTED + "{{S}})";
    static final String JAILBROKEN = "sum by (tenant) (" + DEVICES_JAILBROKEN + "{{S}, jailbroken=\"true\"})";
    static final String ACTIVE_MALWARE = "sum by (tenant) (" + MALWARE_ACTIVE + "{{S}})";
    static final String ACTIVE_MALWARE_PEAK = "max_over_time((" + ACTIVE_MALWARE + ")[{R}:{STEP}])";
    static final String MALWARE_DEVICES = "sum by (tenant) (" + MALWARE_DETECTED + "{{S}})";
    static final String DEFENDER_STATES = "sum by (tenant, state) (" + DEFENDER_DEVICES + "{{S}})";

    // Enrollment and app installs.
    static final String ENROLLMENT_FAILURES_BY_CATEGORY =
            "sum by (tenant, failure_category) (increase(" + ENROLLMENT_FAILURES + "{{S}}[{R}]))";
    static final String ENROLLMENT_FAILURES_TREND = "sum by (tenant) (increase(" + ENROLLMENT_FAILURES + "{{S}}[{W}]))";
    static final String APP_INSTALL_FAILED_BY_PLATFORM =
            "sum by (tenant, platform) (" + APP_INSTALL_DEVICES + "{{S}, status=\"failed\"})";
    static final String APP_INSTALL_FAILED_TOP = "topk by (tenant) (10, sum by (tenant, app, platform) ("
            + APP_INSTALL_DEVICES + "{{S}, status=\"failed\"}) > 0)";

    // Expiries ahead, in days from the end of the period.
    static final String CONNECTOR_EXPIRY_DAYS =
            "(min by (tenant, connector_type, name) (" + CONNECTOR_EXPIRY + "{{S}}) - time()) / 86400";
    static final String CREDENTIAL_EXPIRY_DAYS =
            "(min by (tenant, credential_type, key_id, in_use) (" + CREDENTIAL_EXPIRY + "{{S}}) - time()) / 86400";
    static final String CERTIFICATES_EXPIRING = "sum by (tenant, days) (" + CERTIFICATE_EXPIRING + "{{S}})";

    // Changes.
    static final String AUDIT_EVENTS_BY_KIND =
            "sum by (tenant, category, operation_type, result) (increase(" + AUDIT_EVENTS + "{{S}}[{R}])) > 0";

    // Incidents: every firing sample of the bundle's alerts in the period (a range query).
    static final String ALERTS_FIRING = "ALERTS{alertstate=\"firing\", alertname=~\"" + ALERT_NAMES + "\"{T}}";

    // Procedures.
    // up has no tenant label: each exporter's uptime is given to every tenant it serves (one exporter, many tenants).
    static final String UPTIME = "avg by (tenant) (avg_over_time(up{{J}}[{R}]) * on (job, instance) group_right"
            + " group by (job, instance, tenant) (last_over_time(" + TENANT_INFO + "{{J}{TI}}[{R}])))";
    static final String FRESHNESS = "avg by (tenant) (avg_over_time(((time() - " + LAST_SUCCESS + "{{S}}) / ("
            + INTERVAL + "{{S}} > 0) <= bool 3)[{R}:{STEP}]))";
    static final String COLLECTOR_SUCCESS = "1 - sum by (tenant) (increase(" + FAILURES
            + "{{S}}[{R}])) / sum by (tenant) (increase(" + RUNS + "{{S}}[{R}]))";

    /** The values that fill the placeholders of one report. */
    record Scope(String job, String tenant, long rangeSeconds, long stepSeconds, long windowSeconds) {
        /** Matchers of the exporter's series. A single-tenant exporter's series have no tenant label: "default" means that. */
        String series() {
            return "job=~\"" + quote(job) + "\"" + tenantMatcher();
        }

        /** Matchers of ALERTS: with a tenant, also the exporter-wide alerts that carry no tenant label. */
        String alerts() {
            return tenant == null ? "" : ", tenant=~\"" + regexQuote(tenant) + "|\"";
        }

        /** intune_tenant_info always has a tenant label, "default" for a single tenant. */
        String tenantInfo() {
            return tenant == null ? "" : ", tenant=\"" + quote(tenant) + "\"";
        }

        private String tenantMatcher() {
            if (tenant == null) {
                return "";
            }
            return tenant.equals("default") ? ", tenant=~\"|default\"" : ", tenant=\"" + quote(tenant) + "\"";
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(S|T|J|TI|R|STEP|W)}");

    static String expand(String template, Scope scope) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = switch (m.group(1)) {
                case "S" -> scope.series();
                case "T" -> scope.alerts();
                case "J" -> "job=~\"" + quote(scope.job()) + "\"";
                case "TI" -> scope.tenantInfo();
                case "R" -> scope.rangeSeconds() + "s";
                case "STEP" -> scope.stepSeconds() + "s";
                default -> scope.windowSeconds() + "s";
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A PromQL string literal's content. */
    static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String regexQuote(String s) {
        return quote(s.replaceAll("([.\\\\+*?\\[^\\]$(){}=!<>|:-])", "\\\\$1"));
    }
}
