package dev.rolloutdoctor.rules.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An admission refusal of a pod (other than ResourceQuota's, which {@link QuotaMessage} reads) as a controller's
 * {@code FailedCreate} event or {@code ReplicaFailure} condition carries it: which admission step refused, and its
 * reasons. Found anywhere in a text ({@code Error creating: pods "web-5d8f7c9b6-" is forbidden: ...}, {@code create Pod
 * web-0 in StatefulSet web failed error: ...}).
 *
 * <p>The wordings read, from Kubernetes' sources:
 * <ul>
 *   <li>{@link PodSecurity}: {@code violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false
 *       (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (...)}
 *       (kubernetes/pod-security-admission {@code admission/admission.go}: each failed check as {@code reason (detail)},
 *       joined by {@code ", "});</li>
 *   <li>{@link WebhookDenied}: {@code admission webhook "validate.kyverno.svc" denied the request: ...} or {@code ...
 *       denied the request without explanation}; {@link WebhookUnreachable}: {@code failed calling webhook "x": ...},
 *       usually after {@code Internal error occurred: } (apiserver {@code pkg/admission/plugin/webhook/errors});</li>
 *   <li>{@link PolicyDenied}: {@code ValidatingAdmissionPolicy 'p' with binding 'b' denied request: ...};</li>
 *   <li>{@link LimitRangeViolation}: LimitRanger's {@code maximum cpu usage per Container is 1, but limit is 2},
 *       {@code minimum memory usage per Pod is 64Mi, but request is 32Mi}, {@code maximum cpu usage per Container is 1.
 *       No limit is specified}, {@code cpu max limit to request ratio per Container is 2, but provided ratio is
 *       4.000000}; older releases capitalise the first word and end with a period, several are bracketed
 *       {@code [a, b]};</li>
 *   <li>{@link ServiceAccountMissing}: {@code error looking up service account shop/x: serviceaccount "x" not found},
 *       before 1.10 {@code service account shop/x was not found, retry after the service account is created}, and
 *       {@code no API token found for service account shop/x, retry after the token is automatically created and added
 *       to the service account};</li>
 *   <li>{@link SecurityPolicyDenied}: PodSecurityPolicy's {@code unable to validate against any pod security policy:
 *       [...]} and OpenShift's {@code unable to validate against any security context constraint: [...]};</li>
 *   <li>{@link OtherForbidden}: any other {@code <resource> "<name>" is forbidden: <reason>} (a missing PriorityClass,
 *       node restrictions, ...).</li>
 * </ul>
 *
 * @param object the refused object as named in the error ({@code web-5d8f7c9b6-}, a controller's generateName); "" when
 *               the error names none (webhook errors do not)
 * @param denial what refused and why
 * @param text   the refusal from its first word to the end, without any event prefix
 */
public record AdmissionMessage(String object, Denial denial, String text) {

    private static final Pattern FORBIDDEN = Pattern.compile("(\\S+) \"([^\"]*)\" is forbidden: (.*)", Pattern.DOTALL);
    private static final Pattern POD_SECURITY = Pattern.compile("violates PodSecurity \"([^\":]*):?([^\"]*)\": (.*)", Pattern.DOTALL);
    private static final Pattern WEBHOOK_DENIED = Pattern.compile(
            "admission webhook \"([^\"]*)\" denied the request(?::\\s*(.*)| without explanation)?", Pattern.DOTALL);
    private static final Pattern WEBHOOK_FAILED = Pattern.compile("failed calling webhook \"([^\"]*)\": (.*)", Pattern.DOTALL);
    private static final Pattern POLICY = Pattern.compile(
            "ValidatingAdmissionPolicy '([^']*)' with binding '([^']*)' denied request: (.*)", Pattern.DOTALL);
    private static final Pattern SA_LOOKUP = Pattern.compile("error looking up service account ([^/\\s]+)/([^:\\s]+): .*not found");
    private static final Pattern SA_NOT_FOUND = Pattern.compile(
            "service account ([^/\\s]+)/(\\S+) was not found, retry after the service account is created");
    private static final Pattern SA_TOKEN = Pattern.compile("no API token found for service account ([^/\\s]+)/([^,\\s]+)");
    private static final Pattern SECURITY_POLICY = Pattern.compile(
            "unable to validate against any (pod security policy|security context constraint): ?(.*)", Pattern.DOTALL);
    private static final String COMBINED = "(combined from similar events): ";

    public AdmissionMessage {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(denial, "denial");
        Objects.requireNonNull(text, "text");
    }

    /** What refused the object, and its reasons. */
    public sealed interface Denial permits PodSecurity, WebhookDenied, WebhookUnreachable, PolicyDenied,
            LimitRangeViolation, ServiceAccountMissing, SecurityPolicyDenied, OtherForbidden {

        /** The admission step in Kubernetes' words: {@code PodSecurity}, {@code LimitRanger}, {@code ServiceAccount}, ... */
        String admission();

        /** The reasons in one line, for a title. */
        String summary();
    }

    /**
     * Pod Security admission enforcing a level on the namespace.
     *
     * @param level    {@code restricted} or {@code baseline}
     * @param version  {@code latest} or {@code v1.29}; "" when the message gives none
     * @param controls each failed check, in the order written
     */
    public record PodSecurity(String level, String version, List<Control> controls) implements Denial {

        public PodSecurity {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(version, "version");
            controls = List.copyOf(controls);
        }

        public String admission() {
            return "PodSecurity";
        }

        /** {@code restricted:latest}, as the message names the policy. */
        public String policy() {
            return version.isEmpty() ? level : level + ":" + version;
        }

        public String summary() {
            return String.join(", ", controls.stream().map(Control::reason).toList());
        }

        /** The failed check with this reason ({@code runAsNonRoot != true}), if present. */
        public Optional<Control> control(String reason) {
            return controls.stream().filter(c -> c.reason().equals(reason)).findFirst();
        }
    }

    /**
     * One failed Pod Security check.
     *
     * @param reason     the check's reason ({@code allowPrivilegeEscalation != false}, {@code unrestricted capabilities})
     * @param detail     what must change ({@code container "app" must set securityContext.allowPrivilegeEscalation=false});
     *                   "" when the check gave none
     * @param containers the containers the detail names, in the order written
     * @param pod        true when the detail says the pod-level {@code securityContext} may satisfy it ({@code pod or
     *                   container ...}) or names the pod itself
     */
    public record Control(String reason, String detail, List<String> containers, boolean pod) {

        private static final Pattern CONTAINERS = Pattern.compile("containers? ((?:\"[^\"]*\"(?:, )?)+)");
        private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

        public Control {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            containers = List.copyOf(containers);
        }

        static Control parse(String text) {
            String t = text.strip();
            int open = t.indexOf(" (");
            if (open < 0 || !t.endsWith(")")) {
                return new Control(t, "", List.of(), false);
            }
            String detail = t.substring(open + 2, t.length() - 1);
            List<String> containers = new ArrayList<>();
            Matcher m = CONTAINERS.matcher(detail);
            while (m.find()) {
                Matcher q = QUOTED.matcher(m.group(1));
                while (q.find()) {
                    if (!containers.contains(q.group(1))) {
                        containers.add(q.group(1));
                    }
                }
            }
            boolean pod = detail.startsWith("pod ") || detail.contains("; pod ");
            return new Control(t.substring(0, open), detail, containers, pod);
        }

        /** {@code reason (detail)}, as written. */
        @Override
        public String toString() {
            return detail.isEmpty() ? reason : reason + " (" + detail + ")";
        }
    }

    /**
     * A validating or mutating admission webhook that answered no.
     *
     * @param webhook the webhook's name ({@code validate.kyverno.svc-fail}), as in a webhook configuration's
     *                {@code webhooks[].name}
     * @param reason  what the webhook said; "" when it denied without explanation
     */
    public record WebhookDenied(String webhook, String reason) implements Denial {

        public WebhookDenied {
            Objects.requireNonNull(webhook, "webhook");
            Objects.requireNonNull(reason, "reason");
        }

        public String admission() {
            return "webhook";
        }

        public String summary() {
            return reason.isEmpty() ? "denied without explanation" : firstLine(reason);
        }
    }

    /**
     * A webhook the API server could not call, with a {@code failurePolicy: Fail} that turns the failure into a refusal.
     *
     * @param webhook the webhook's name
     * @param error   the call's error ({@code failed to call webhook: Post "https://...": dial tcp ...: connection refused})
     */
    public record WebhookUnreachable(String webhook, String error) implements Denial {

        private static final Pattern SERVICE_HOST = Pattern.compile("https://([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc[.:/]");

        public WebhookUnreachable {
            Objects.requireNonNull(webhook, "webhook");
            Objects.requireNonNull(error, "error");
        }

        public String admission() {
            return "webhook";
        }

        public String summary() {
            return firstLine(error);
        }

        /** The in-cluster Service the call went to, as {@code namespace/name}, when the URL names one ({@code https://svc.ns.svc:443/...}). */
        public Optional<String> service() {
            Matcher m = SERVICE_HOST.matcher(error);
            return m.find() ? Optional.of(m.group(2) + "/" + m.group(1)) : Optional.empty();
        }
    }

    /** A ValidatingAdmissionPolicy (CEL, in the API server) that denied the request through one of its bindings. */
    public record PolicyDenied(String policy, String binding, String reason) implements Denial {

        public PolicyDenied {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(binding, "binding");
            Objects.requireNonNull(reason, "reason");
        }

        public String admission() {
            return "ValidatingAdmissionPolicy";
        }

        public String summary() {
            return firstLine(reason);
        }
    }

    /** LimitRanger's refusals: the bounds of the namespace's LimitRanges the pod breaks. */
    public record LimitRangeViolation(List<LimitRangeBreach> breaches) implements Denial {

        public LimitRangeViolation {
            breaches = List.copyOf(breaches);
        }

        public String admission() {
            return "LimitRanger";
        }

        public String summary() {
            return String.join("; ", breaches.stream().map(LimitRangeBreach::text).toList());
        }
    }

    /**
     * One LimitRange bound a pod or container breaks.
     *
     * @param bound    {@code minimum}, {@code maximum} or {@code ratio} (max limit to request ratio)
     * @param resource {@code cpu}, {@code memory}, ...
     * @param scope    {@code Container}, {@code Pod} or {@code PersistentVolumeClaim}
     * @param enforced the bound as written ({@code 1}, {@code 64Mi}, {@code 2} for a ratio)
     * @param field    {@code limit} or {@code request} for a min/max breach; for a ratio, {@code ratio} when the ratio is
     *                 too high, {@code request} or {@code limit} when that side is missing or zero
     * @param observed the pod's value as written ({@code 2}, {@code 4.000000}); "" when it specifies none
     * @param text     the breach as written, without final period
     */
    public record LimitRangeBreach(String bound, String resource, String scope, String enforced, String field,
                                   String observed, String text) {

        private static final Pattern MIN_MAX = Pattern.compile(
                "(?i)(minimum|maximum) (\\S+) usage per (\\S+) is (\\S+?)(?:, but (request|limit) is (\\S+?)(?=\\.?(?:[\\s,\\]]|$))|\\.\\s+No (request|limit) is specified\\.?)");
        private static final Pattern RATIO = Pattern.compile(
                "(\\S+) max limit to request ratio per (\\S+) is (\\S+?), but (?:provided ratio is (\\S+?)(?=\\.?(?:[\\s,\\]]|$))|no (request|limit) is specified or \\5 is 0\\.?)");

        public LimitRangeBreach {
            Objects.requireNonNull(bound, "bound");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(enforced, "enforced");
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(observed, "observed");
            Objects.requireNonNull(text, "text");
        }

        static List<LimitRangeBreach> findAll(String text) {
            List<LimitRangeBreach> out = new ArrayList<>();
            Matcher m = MIN_MAX.matcher(text);
            while (m.find()) {
                boolean unspecified = m.group(7) != null;
                out.add(new LimitRangeBreach(m.group(1).toLowerCase(Locale.ROOT), m.group(2), m.group(3), m.group(4),
                        unspecified ? m.group(7).toLowerCase(Locale.ROOT) : m.group(5), unspecified ? "" : m.group(6),
                        withoutPeriod(m.group())));
            }
            m = RATIO.matcher(text);
            while (m.find()) {
                boolean missing = m.group(5) != null;
                out.add(new LimitRangeBreach("ratio", m.group(1), m.group(2), m.group(3), missing ? m.group(5) : "ratio",
                        missing ? "" : m.group(4), withoutPeriod(m.group())));
            }
            return out;
        }

        /** True when the pod specifies no value for the bounded field (or a zero one, for a ratio). */
        public boolean unspecified() {
            return observed.isEmpty();
        }
    }

    /**
     * The pod's ServiceAccount does not exist (or, before token requests, had no token yet): the ServiceAccount
     * admission plugin refuses pods until it does.
     *
     * @param namespace the ServiceAccount's namespace
     * @param name      its name
     * @param tokenOnly true for the old {@code no API token found} wording: the account exists but its token Secret
     *                  was not created yet
     */
    public record ServiceAccountMissing(String namespace, String name, boolean tokenOnly) implements Denial {

        public ServiceAccountMissing {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }

        public String admission() {
            return "ServiceAccount";
        }

        public String summary() {
            return tokenOnly ? "service account " + namespace + "/" + name + " has no API token yet"
                    : "service account " + namespace + "/" + name + " not found";
        }
    }

    /**
     * PodSecurityPolicy (removed in 1.25) or OpenShift SecurityContextConstraints: no policy the pod may use admits it.
     *
     * @param policyKind {@code PodSecurityPolicy} or {@code SecurityContextConstraints}
     * @param reasons    the bracketed reasons as written
     */
    public record SecurityPolicyDenied(String policyKind, String reasons) implements Denial {

        public SecurityPolicyDenied {
            Objects.requireNonNull(policyKind, "policyKind");
            Objects.requireNonNull(reasons, "reasons");
        }

        public String admission() {
            return policyKind;
        }

        public String summary() {
            return reasons.isEmpty() ? "no " + policyKind + " admits the pod" : firstLine(reasons);
        }
    }

    /** Any other {@code is forbidden} refusal: the reason as written. */
    public record OtherForbidden(String reason) implements Denial {

        public OtherForbidden {
            Objects.requireNonNull(reason, "reason");
        }

        public String admission() {
            return "admission";
        }

        public String summary() {
            return firstLine(reason);
        }
    }

    /** Reads the admission refusal in a text; empty when there is none, or when it is ResourceQuota's. */
    public static Optional<AdmissionMessage> parse(String text) {
        String t = Objects.requireNonNull(text, "text").strip();
        while (t.startsWith(COMBINED)) {
            t = t.substring(COMBINED.length()).strip();
        }
        if (QuotaMessage.parse(t).isPresent()) {
            return Optional.empty();
        }
        Matcher forbidden = FORBIDDEN.matcher(t);
        String object = "";
        String reason = t;
        int start = -1;
        if (forbidden.find()) {
            object = forbidden.group(2);
            reason = forbidden.group(3).strip();
            start = forbidden.start();
        }
        Optional<Denial> denial = denial(reason, start >= 0);
        if (denial.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AdmissionMessage(object, denial.get(), start >= 0 ? t.substring(start) : from(t, denial.get())));
    }

    private static Optional<Denial> denial(String reason, boolean forbidden) {
        Matcher m = POD_SECURITY.matcher(reason);
        if (m.find()) {
            return Optional.of(new PodSecurity(m.group(1), m.group(2), controls(m.group(3))));
        }
        m = WEBHOOK_DENIED.matcher(reason);
        if (m.find()) {
            return Optional.of(new WebhookDenied(m.group(1), m.group(2) == null ? "" : m.group(2).strip()));
        }
        m = WEBHOOK_FAILED.matcher(reason);
        if (m.find()) {
            return Optional.of(new WebhookUnreachable(m.group(1), m.group(2).strip()));
        }
        m = POLICY.matcher(reason);
        if (m.find()) {
            return Optional.of(new PolicyDenied(m.group(1), m.group(2), m.group(3).strip()));
        }
        List<LimitRangeBreach> breaches = LimitRangeBreach.findAll(reason);
        if (!breaches.isEmpty()) {
            return Optional.of(new LimitRangeViolation(breaches));
        }
        Optional<Denial> account = serviceAccount(reason);
        if (account.isPresent()) {
            return account;
        }
        m = SECURITY_POLICY.matcher(reason);
        if (m.find()) {
            String kind = m.group(1).startsWith("pod") ? "PodSecurityPolicy" : "SecurityContextConstraints";
            return Optional.of(new SecurityPolicyDenied(kind, m.group(2).strip()));
        }
        return forbidden && !reason.isEmpty() ? Optional.of(new OtherForbidden(reason)) : Optional.empty();
    }

    private static Optional<Denial> serviceAccount(String reason) {
        Matcher m = SA_LOOKUP.matcher(reason);
        if (m.find()) {
            return Optional.of(new ServiceAccountMissing(m.group(1), m.group(2), false));
        }
        m = SA_NOT_FOUND.matcher(reason);
        if (m.find()) {
            return Optional.of(new ServiceAccountMissing(m.group(1), m.group(2), false));
        }
        m = SA_TOKEN.matcher(reason);
        if (m.find()) {
            return Optional.of(new ServiceAccountMissing(m.group(1), m.group(2), true));
        }
        return Optional.empty();
    }

    /** Splits the Pod Security reasons at {@code ", "} outside parentheses and quotes. */
    private static List<Control> controls(String list) {
        List<Control> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && depth > 0) {
                depth--;
            } else if (!quoted && depth == 0 && c == ',' && i + 1 < list.length() && list.charAt(i + 1) == ' ') {
                addControl(out, list.substring(start, i));
                start = i + 2;
            }
        }
        addControl(out, list.substring(start));
        return out;
    }

    private static void addControl(List<Control> out, String text) {
        if (!text.isBlank()) {
            out.add(Control.parse(text));
        }
    }

    /** Where a refusal without {@code is forbidden} starts: at {@code admission webhook}, {@code failed calling}, .... */
    private static String from(String text, Denial denial) {
        String marker = denial instanceof WebhookDenied ? "admission webhook"
                : denial instanceof WebhookUnreachable ? "failed calling webhook"
                : denial instanceof PolicyDenied ? "ValidatingAdmissionPolicy" : "";
        int at = marker.isEmpty() ? -1 : text.indexOf(marker);
        return at < 0 ? text : text.substring(at);
    }

    static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        String line = nl < 0 ? t : t.substring(0, nl).strip();
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }

    private static String withoutPeriod(String s) {
        String t = s.strip();
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
