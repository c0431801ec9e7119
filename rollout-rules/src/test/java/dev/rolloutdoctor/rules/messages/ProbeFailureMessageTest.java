package dev.rolloutdoctor.rules.messages;

import dev.rolloutdoctor.rules.messages.ProbeFailureMessage.Failure;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage.Outcome;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage.ProbeType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeFailureMessageTest {

    private static ProbeFailureMessage parse(String message) {
        return ProbeFailureMessage.parse(message).orElseThrow(() -> new AssertionError("not parsed: " + message));
    }

    @Test
    void anHttpStatusFailureGivesTheProbeTheCodeAndItsReason() {
        ProbeFailureMessage m = parse("Readiness probe failed: HTTP probe failed with statuscode: 503");

        assertThat(m.probe()).isEqualTo(ProbeType.READINESS);
        assertThat(m.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(m.failure()).isEqualTo(Failure.HTTP_STATUS);
        assertThat(m.statusCode()).isEqualTo(OptionalInt.of(503));
        assertThat(m.summary()).isEqualTo("HTTP 503 Service Unavailable");
    }

    @Test
    void aRefusedConnectionOfAQuotedUrlGivesTheUrlAndTheAddress() {
        ProbeFailureMessage m = parse("Liveness probe failed: Get \"http://10.244.0.163:3000/api/health\": dial tcp "
                + "10.244.0.163:3000: connect: connection refused");

        assertThat(m.probe()).isEqualTo(ProbeType.LIVENESS);
        assertThat(m.failure()).isEqualTo(Failure.CONNECTION_REFUSED);
        assertThat(m.url()).hasValue("http://10.244.0.163:3000/api/health");
        assertThat(m.address()).hasValue("10.244.0.163:3000");
        assertThat(m.port()).isEqualTo(OptionalInt.of(3000));
        assertThat(m.summary()).isEqualTo("connection refused at 10.244.0.163:3000");
    }

    @Test
    void theOldGoFormWithAnUnquotedUrlAndGetsockoptIsReadToo() {
        ProbeFailureMessage m = parse("Readiness probe failed: Get http://10.0.9.16:9099/readiness: dial tcp "
                + "10.0.9.16:9099: getsockopt: connection refused");

        assertThat(m.failure()).isEqualTo(Failure.CONNECTION_REFUSED);
        assertThat(m.url()).hasValue("http://10.0.9.16:9099/readiness");
        assertThat(m.address()).hasValue("10.0.9.16:9099");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Readiness probe failed: Get \"http://10.1.2.3:8080/ready\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)|Client.Timeout exceeded",
            "Liveness probe failed: Get http://10.1.2.3:8080/ready: net/http: request canceled (Client.Timeout exceeded while awaiting headers)|Client.Timeout exceeded",
            "Readiness probe failed: dial tcp 10.1.2.3:5432: i/o timeout|i/o timeout",
            "Liveness probe failed: command timed out|timed out",
            "Liveness probe failed: command timed out: \"pgbackrest server-ping\" timed out after 1s|timed out",
            "Readiness probe failed: timeout: failed to connect service \"10.1.2.3:9000\" within 1s: context deadline exceeded|context deadline exceeded",
            "Startup probe failed: Get \"https://10.1.2.3:8443/livez\": context deadline exceeded|context deadline exceeded",
    })
    void everyFamilyOfTimeoutIsATimeout(String message, String words) {
        ProbeFailureMessage m = parse(message);

        assertThat(m.failure()).isEqualTo(Failure.TIMEOUT);
        assertThat(m.summary()).startsWith("no answer in time").endsWith("(" + words + ")");
    }

    @Test
    void theNewerErroredFormGivesTheStateItResultedIn() {
        ProbeFailureMessage m = parse("Readiness probe errored and resulted in unknown state: rpc error: code = NotFound "
                + "desc = failed to exec in container: failed to load task: no running task found: task abc not found");

        assertThat(m.outcome()).isEqualTo(Outcome.ERRORED);
        assertThat(m.resultState()).isEqualTo("unknown");
        assertThat(m.failure()).isEqualTo(Failure.CONTAINER_NOT_RUNNING);
        assertThat(m.isFailure()).isTrue();
    }

    @Test
    void theOlderErroredFormHasNoState() {
        ProbeFailureMessage m = parse("Liveness probe errored: rpc error: code = Unknown desc = container not running (abc)");

        assertThat(m.outcome()).isEqualTo(Outcome.ERRORED);
        assertThat(m.resultState()).isEmpty();
        assertThat(m.failure()).isEqualTo(Failure.CONTAINER_NOT_RUNNING);
    }

    @Test
    void aNamedPortKubeletCannotResolveIsReadFromTheAtoiError() {
        ProbeFailureMessage m = parse("Readiness probe errored: strconv.Atoi: parsing \"http-alt\": invalid syntax");

        assertThat(m.failure()).isEqualTo(Failure.PORT_NOT_FOUND);
        assertThat(m.unresolvedPortName()).hasValue("http-alt");
        assertThat(m.summary()).isEqualTo("port name \"http-alt\" not found in the container");
    }

    @Test
    void anExecProbesOutputIsKeptVerbatimAndAnEmptyOneIsNoOutput() {
        assertThat(parse("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory").summary())
                .isEqualTo("command output \"cat: can't open '/tmp/healthy': No such file or directory\"");
        ProbeFailureMessage empty = parse("Liveness probe failed: ");
        assertThat(empty.failure()).isEqualTo(Failure.NO_OUTPUT);
        assertThat(empty.output()).isEmpty();
    }

    @Test
    void aCommandThatSaysTheAppIsNotRunningIsOutputNotARuntimeError() {
        assertThat(parse("Readiness probe failed: postgres is not running").failure()).isEqualTo(Failure.COMMAND_OUTPUT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Readiness probe failed: Get \"https://10.1.2.3:8080/\": http: server gave HTTP response to HTTPS client|PROTOCOL_MISMATCH",
            "Readiness probe failed: Get \"http://10.1.2.3:8443/\": net/http: HTTP/1.x transport connection broken: malformed HTTP response \"\\x15\\x03\\x01\\x00\\x02\\x02\"|PROTOCOL_MISMATCH",
            "Readiness probe failed: Get \"http://10.1.2.3:8080/\": read tcp 10.1.0.1:51234->10.1.2.3:8080: read: connection reset by peer|CONNECTION_RESET",
            "Readiness probe failed: Get \"http://10.1.2.3:8080/\": EOF|CONNECTION_RESET",
            "Readiness probe failed: Get \"http://10.1.2.3:8080/\": dial tcp 10.1.2.3:8080: connect: no route to host|UNREACHABLE",
            "Readiness probe failed: Get \"http://db.internal:8080/\": dial tcp: lookup db.internal on 10.96.0.10:53: no such host|NO_SUCH_HOST",
            "Readiness probe failed: service unhealthy (responded with \"NOT_SERVING\")|GRPC_NOT_SERVING",
            "Readiness probe failed: error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health|GRPC_UNIMPLEMENTED",
            "Readiness probe failed: Get \"https://10.1.2.3:8443/\": remote error: tls: handshake failure|TLS",
            "Readiness probe errored: something unexpected|OTHER",
    })
    void otherFamiliesAreClassified(String message, Failure failure) {
        assertThat(parse(message).failure()).isEqualTo(failure);
    }

    @Test
    void aWarningIsNotAFailure() {
        ProbeFailureMessage m = parse("Readiness probe warning: Probe terminated redirects, Response body: <html></html>");

        assertThat(m.outcome()).isEqualTo(Outcome.WARNING);
        assertThat(m.isFailure()).isFalse();
    }

    @Test
    void messagesOfOtherEventsAreNotProbeMessages() {
        assertThat(ProbeFailureMessage.parse("Container app failed liveness probe, will be restarted")).isEmpty();
        assertThat(ProbeFailureMessage.parse("Back-off restarting failed container app in pod web_shop(123)")).isEmpty();
        assertThat(ProbeFailureMessage.parse("")).isEmpty();
    }

    @Test
    void aMultiLineExecOutputIsKeptWholeAndSummarisedOnOneLine() {
        ProbeFailureMessage m = parse("Readiness probe failed: line one\nline two\n");

        assertThat(m.output()).isEqualTo("line one\nline two");
        assertThat(m.summary()).isEqualTo("command output \"line one line two\"");
    }
}
