package dev.rolloutdoctor.rules.messages;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message of a kubelet probe event ({@code Unhealthy} or {@code ProbeWarning}) read into its parts: which probe,
 * how the attempt ended, and what the probe got (an HTTP status, a refused or timed-out connection, a command's
 * output), with the address it tried when the message names one.
 *
 * <p>Kubelet writes {@code <Type> probe failed: <output>}, {@code <Type> probe errored: <error>} (older) or
 * {@code <Type> probe errored and resulted in <state> state: <error>} (newer), and {@code <Type> probe warning: <output>}
 * ({@code pkg/kubelet/prober/prober.go}); the output part comes from the HTTP, TCP, exec or gRPC prober, in wordings
 * that drift with Go and Kubernetes releases, so the parser matches families of texts, not one literal.
 *
 * @param probe       which probe
 * @param outcome     failed, errored or warning
 * @param resultState for the newer errored form, the state it resulted in ({@code unknown}, {@code failure}); "" otherwise
 * @param output      what follows the colon, trimmed ("" when the probe printed nothing)
 * @param failure     what the probe got, classified
 * @param statusCode  the HTTP status of an {@code HTTP probe failed with statuscode: N}
 * @param url         the URL an HTTP probe requested, when the message quotes it
 * @param address     the {@code host:port} it connected to, when the message names one
 */
public record ProbeFailureMessage(
        ProbeType probe,
        Outcome outcome,
        String resultState,
        String output,
        Failure failure,
        OptionalInt statusCode,
        Optional<String> url,
        Optional<String> address) {

    /** The three probes of a container, as kubelet names them in events. */
    public enum ProbeType {
        READINESS("Readiness", "readinessProbe"),
        LIVENESS("Liveness", "livenessProbe"),
        STARTUP("Startup", "startupProbe");

        private final String eventName;
        private final String fieldName;

        ProbeType(String eventName, String fieldName) {
            this.eventName = eventName;
            this.fieldName = fieldName;
        }

        /** As kubelet prints it in events: {@code Readiness}. */
        public String eventName() {
            return eventName;
        }

        /** The container field that holds it: {@code readinessProbe}. */
        public String fieldName() {
            return fieldName;
        }
    }

    /** How one probe attempt ended. */
    public enum Outcome {
        /** {@code probe failed}: the probe ran and the check did not pass. */
        FAILED,
        /** {@code probe errored}: kubelet could not run the probe at all (bad port, container gone, runtime error). */
        ERRORED,
        /** {@code probe warning}: the probe passed with a warning (a redirect to another host, say). */
        WARNING
    }

    /** What the probe got, in classes an operator acts on differently. */
    public enum Failure {
        /** An HTTP answer outside 200-399: see {@link #statusCode()}. */
        HTTP_STATUS,
        /** Nothing listens on the port: {@code connect: connection refused}. */
        CONNECTION_REFUSED,
        /** No answer in time: {@code context deadline exceeded}, {@code Client.Timeout}, {@code i/o timeout}, an exec timeout. */
        TIMEOUT,
        /** The connection was closed or reset mid-request: {@code connection reset by peer}, {@code EOF}. */
        CONNECTION_RESET,
        /** No route to the address: {@code no route to host}, {@code network is unreachable}. */
        UNREACHABLE,
        /** A host name in {@code httpGet.host} that does not resolve: {@code no such host}. */
        NO_SUCH_HOST,
        /** HTTP against a TLS port or HTTPS against a plain one: the probe's {@code scheme} does not match the server. */
        PROTOCOL_MISMATCH,
        /** A TLS handshake or certificate error. */
        TLS,
        /** kubelet could not resolve the probe's port (a named port the container does not declare). */
        PORT_NOT_FOUND,
        /** A gRPC health check answered {@code NOT_SERVING} (or another status). */
        GRPC_NOT_SERVING,
        /** The server does not implement the gRPC health checking protocol. */
        GRPC_UNIMPLEMENTED,
        /** An exec probe could not run because the container is not running. */
        CONTAINER_NOT_RUNNING,
        /** An exec probe's command exited non-zero and printed this output. */
        COMMAND_OUTPUT,
        /** The probe failed and printed nothing (typically an exec probe exiting non-zero silently). */
        NO_OUTPUT,
        /** Anything else. */
        OTHER
    }

    private static final Pattern HEAD = Pattern.compile(
            "^\\s*(readiness|liveness|startup) probe (failed|errored|warning)(?: and resulted in (\\S+) state)?:?(.*)$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern STATUS_CODE = Pattern.compile("HTTP probe failed with status ?code: (\\d{3})");
    private static final Pattern URL = Pattern.compile("\\b(?:Get|GET|Head|HEAD) \"?((?:https?)://[^\"\\s]+?)\"?:\\s");
    private static final Pattern DIAL = Pattern.compile("dial tcp[46]? (\\S+?:\\d+):");
    private static final Pattern GRPC_SERVICE = Pattern.compile("connect service (?:at )?\"([^\"]+)\"");
    private static final Pattern PORT_NAME = Pattern.compile("strconv\\.Atoi: parsing \"([^\"]*)\": invalid syntax");

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(408, "Request Timeout"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    public ProbeFailureMessage {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(resultState, "resultState");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(statusCode, "statusCode");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(address, "address");
    }

    /** Reads a probe event's message; empty when it is not one ({@code Killing}, {@code BackOff}, anything else). */
    public static Optional<ProbeFailureMessage> parse(String message) {
        Matcher head = HEAD.matcher(message);
        if (!head.matches()) {
            return Optional.empty();
        }
        ProbeType probe = ProbeType.valueOf(head.group(1).toUpperCase(Locale.ROOT));
        Outcome outcome = Outcome.valueOf(head.group(2).toUpperCase(Locale.ROOT));
        String state = head.group(3) == null ? "" : head.group(3);
        String output = head.group(4).strip();
        OptionalInt code = OptionalInt.empty();
        Matcher status = STATUS_CODE.matcher(output);
        if (status.find()) {
            code = OptionalInt.of(Integer.parseInt(status.group(1)));
        }
        return Optional.of(new ProbeFailureMessage(probe, outcome, state, output, classify(output, code, outcome),
                code, first(URL, output), address(output)));
    }

    private static Failure classify(String output, OptionalInt code, Outcome outcome) {
        String text = output.toLowerCase(Locale.ROOT);
        if (code.isPresent()) {
            return Failure.HTTP_STATUS;
        }
        if (text.isEmpty()) {
            return Failure.NO_OUTPUT;
        }
        if (text.contains("server gave http response to https client") || text.contains("malformed http response")) {
            return Failure.PROTOCOL_MISMATCH;
        }
        if (text.contains("does not implement the grpc health protocol")) {
            return Failure.GRPC_UNIMPLEMENTED;
        }
        if (text.contains("x509:") || text.contains("tls:") || text.contains("tls handshake")) {
            return Failure.TLS;
        }
        if (text.contains("connection refused")) {
            return Failure.CONNECTION_REFUSED;
        }
        if (text.contains("connection reset") || text.contains("broken pipe") || text.endsWith(": eof")
                || text.endsWith("unexpected eof")) {
            return Failure.CONNECTION_RESET;
        }
        if (text.contains("no route to host") || text.contains("network is unreachable") || text.contains("host is unreachable")) {
            return Failure.UNREACHABLE;
        }
        if (text.contains("no such host")) {
            return Failure.NO_SUCH_HOST;
        }
        if (text.contains("timeout") || text.contains("timed out") || text.contains("deadline exceeded")
                || text.contains("request canceled")) {
            return Failure.TIMEOUT;
        }
        if (PORT_NAME.matcher(output).find() || text.startsWith("invalid port number")) {
            return Failure.PORT_NOT_FOUND;
        }
        if (text.startsWith("service unhealthy")) {
            return Failure.GRPC_NOT_SERVING;
        }
        // a command may print "not running" about the app itself: only kubelet's own errors mean the container
        if (outcome == Outcome.ERRORED && (text.contains("not running") || text.contains("no running task found")
                || text.contains("cannot exec in a stopped"))) {
            return Failure.CONTAINER_NOT_RUNNING;
        }
        return outcome == Outcome.ERRORED ? Failure.OTHER : Failure.COMMAND_OUTPUT;
    }

    private static Optional<String> address(String output) {
        Optional<String> dial = first(DIAL, output);
        return dial.isPresent() ? dial : first(GRPC_SERVICE, output);
    }

    private static Optional<String> first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** True for a failed or errored attempt (a warning still counts as a pass). */
    public boolean isFailure() {
        return outcome != Outcome.WARNING;
    }

    /** The port of {@link #address()}, when it names one. */
    public OptionalInt port() {
        if (address.isEmpty()) {
            return OptionalInt.empty();
        }
        String a = address.get();
        int colon = a.lastIndexOf(':');
        try {
            return colon < 0 ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(a.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** For {@link Failure#PORT_NOT_FOUND}, the port name kubelet could not resolve. */
    public Optional<String> unresolvedPortName() {
        return first(PORT_NAME, output);
    }

    /**
     * What the probe got, in a few words: {@code HTTP 503 Service Unavailable}, {@code connection refused at
     * 10.0.9.16:9099}, {@code no answer in time (context deadline exceeded)}, {@code command output "..."}.
     */
    public String summary() {
        String at = address.map(a -> " at " + a).orElse("");
        switch (failure) {
            case HTTP_STATUS:
                int c = statusCode.getAsInt();
                return "HTTP " + c + Optional.ofNullable(REASONS.get(c)).map(r -> " " + r).orElse("");
            case CONNECTION_REFUSED:
                return "connection refused" + at;
            case TIMEOUT:
                return "no answer in time" + at + " (" + timeoutWords() + ")";
            case CONNECTION_RESET:
                return "connection closed by the server" + at;
            case UNREACHABLE:
                return "no route" + at;
            case NO_SUCH_HOST:
                return "host name does not resolve";
            case PROTOCOL_MISMATCH:
                return "wrong scheme for the server (" + shorten(output) + ")";
            case TLS:
                return "TLS error (" + shorten(output) + ")";
            case PORT_NOT_FOUND:
                return unresolvedPortName().map(n -> "port name \"" + n + "\" not found in the container")
                        .orElse("invalid port (" + shorten(output) + ")");
            case GRPC_NOT_SERVING:
                return "gRPC health " + shorten(output);
            case GRPC_UNIMPLEMENTED:
                return "no gRPC health service on the server";
            case CONTAINER_NOT_RUNNING:
                return "container not running";
            case COMMAND_OUTPUT:
                return "command output \"" + shorten(output) + "\"";
            case NO_OUTPUT:
                return "exit without output";
            default:
                return shorten(output);
        }
    }

    private String timeoutWords() {
        String text = output.toLowerCase(Locale.ROOT);
        if (text.contains("client.timeout")) {
            return "Client.Timeout exceeded";
        }
        if (text.contains("context deadline exceeded")) {
            return "context deadline exceeded";
        }
        if (text.contains("i/o timeout")) {
            return "i/o timeout";
        }
        if (text.contains("timed out")) {
            return "timed out";
        }
        return "timeout";
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 157) + "...";
    }
}
