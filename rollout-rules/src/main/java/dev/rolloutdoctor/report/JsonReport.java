package dev.rolloutdoctor.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rollout.KubectlVerdict;
import dev.rolloutdoctor.rollout.ReplicaCounts;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.DetectorError;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.RolloutDiagnosis;
import dev.rolloutdoctor.snapshot.DataGap;
import dev.rolloutdoctor.snapshot.LoadProblem;
import dev.rolloutdoctor.snapshot.SkippedInput;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The JSON report, {@code schemaVersion} 1: the contract other tools read (ARCHITECTURE.md section 3.2, every field
 * documented in the README and in {@code report.schema.json}). Keys in a fixed order, two-space indentation, LF line
 * ends, so the same diagnosis always gives the same bytes.
 */
public final class JsonReport {

    /** Version of the report's shape; raised only on incompatible changes. */
    public static final int SCHEMA_VERSION = 1;

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonReport() {
    }

    public static String render(Diagnosis diagnosis) {
        StringWriter out = new StringWriter();
        write(diagnosis, out);
        return out.toString();
    }

    public static void write(Diagnosis diagnosis, Writer writer) {
        try (JsonGenerator g = FACTORY.createGenerator(writer)) {
            DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n"));
            g.setPrettyPrinter(pretty);
            g.writeStartObject();
            g.writeNumberField("schemaVersion", SCHEMA_VERSION);
            input(g, diagnosis.snapshot());
            g.writeArrayFieldStart("rollouts");
            for (RolloutDiagnosis r : diagnosis.rollouts()) {
                rollout(g, r);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("detectorErrors");
            for (DetectorError e : diagnosis.detectorErrors()) {
                g.writeStartObject();
                g.writeStringField("ruleId", e.ruleId());
                g.writeStringField("message", e.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void input(JsonGenerator g, Snapshot s) throws IOException {
        g.writeObjectFieldStart("input");
        g.writeArrayFieldStart("sources");
        for (String source : s.sources()) {
            g.writeString(source);
        }
        g.writeEndArray();
        time(g, "capturedAt", s.capturedAt().orElse(null));
        g.writeStringField("capturedAtOrigin", s.captureTime().origin().name());
        g.writeArrayFieldStart("layouts");
        for (var layout : s.layouts()) {
            g.writeString(layout.name());
        }
        g.writeEndArray();
        g.writeObjectFieldStart("objectCounts");
        for (Map.Entry<String, Integer> e : s.objectCounts().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("problems");
        for (LoadProblem p : s.problems()) {
            g.writeStartObject();
            g.writeStringField("source", p.source());
            g.writeNumberField("line", p.line());
            g.writeNumberField("column", p.column());
            g.writeStringField("fieldPath", p.fieldPath());
            g.writeStringField("message", p.message());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("gaps");
        for (DataGap gap : s.gaps()) {
            g.writeStartObject();
            g.writeStringField("kind", gap.kind());
            g.writeStringField("namespace", gap.namespace());
            g.writeStringField("reason", gap.reason());
            g.writeStringField("source", gap.source());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("skipped");
        for (SkippedInput skipped : s.skipped()) {
            g.writeStartObject();
            g.writeStringField("source", skipped.source());
            g.writeStringField("reason", skipped.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void rollout(JsonGenerator g, RolloutDiagnosis r) throws IOException {
        RolloutStatus status = r.status();
        g.writeStartObject();
        ref(g, "workload", r.workload());
        g.writeObjectFieldStart("status");
        g.writeStringField("state", status.state().name());
        g.writeStringField("reason", status.reason());
        KubectlVerdict k = status.kubectl();
        g.writeObjectFieldStart("kubectl");
        g.writeStringField("message", k.message());
        g.writeBooleanField("done", k.done());
        if (k.error().isPresent()) {
            g.writeStringField("error", k.error().get());
        } else {
            g.writeNullField("error");
        }
        g.writeEndObject();
        counts(g, "reported", status.structure().reported());
        counts(g, "counted", status.structure().counted());
        g.writeEndObject();
        g.writeArrayFieldStart("findings");
        for (RankedFinding f : r.findings()) {
            finding(g, f);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void counts(JsonGenerator g, String name, ReplicaCounts c) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("desired", c.desired());
        g.writeNumberField("replicas", c.replicas());
        g.writeNumberField("updated", c.updated());
        g.writeNumberField("ready", c.ready());
        g.writeNumberField("available", c.available());
        g.writeNumberField("unavailable", c.unavailable());
        optionalInt(g, "terminating", c.terminating());
        g.writeEndObject();
    }

    private static void finding(JsonGenerator g, RankedFinding ranked) throws IOException {
        Finding f = ranked.finding();
        g.writeStartObject();
        g.writeStringField("id", ranked.id());
        g.writeNumberField("rank", ranked.rank());
        g.writeStringField("ruleId", f.ruleId());
        g.writeStringField("severity", f.severity().label());
        g.writeStringField("confidence", f.confidence().label());
        g.writeStringField("role", ranked.rule().role().name().toLowerCase(java.util.Locale.ROOT));
        g.writeStringField("layer", ranked.rule().layer().label());
        g.writeStringField("title", f.title());
        g.writeStringField("explanation", f.explanation());
        ref(g, "subject", f.workload());
        g.writeArrayFieldStart("culprits");
        for (ObjectRef c : f.culprits()) {
            ref(g, null, c);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("evidence");
        for (Evidence e : f.evidence()) {
            g.writeStartObject();
            g.writeStringField("type", e.type().label());
            ref(g, "object", e.object());
            g.writeStringField("path", e.path());
            g.writeStringField("text", e.text());
            time(g, "at", e.at().orElse(null));
            g.writeStringField("source", e.source());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("remediation");
        for (RemediationStep step : f.remediation()) {
            g.writeStartObject();
            g.writeStringField("text", step.text());
            if (step.command().isPresent()) {
                g.writeStringField("command", step.command().get());
            } else {
                g.writeNullField("command");
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        strings(g, "explains", ranked.explains());
        strings(g, "explainedBy", ranked.explainedBy());
        g.writeEndObject();
    }

    private static void ref(JsonGenerator g, String field, ObjectRef ref) throws IOException {
        if (field == null) {
            g.writeStartObject();
        } else {
            g.writeObjectFieldStart(field);
        }
        g.writeStringField("kind", ref.kind());
        g.writeStringField("namespace", ref.namespace());
        g.writeStringField("name", ref.name());
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void time(JsonGenerator g, String field, Instant at) throws IOException {
        if (at == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, at.toString());
        }
    }

    private static void optionalInt(JsonGenerator g, String field, OptionalInt value) throws IOException {
        if (value.isPresent()) {
            g.writeNumberField(field, value.getAsInt());
        } else {
            g.writeNullField(field);
        }
    }
}
