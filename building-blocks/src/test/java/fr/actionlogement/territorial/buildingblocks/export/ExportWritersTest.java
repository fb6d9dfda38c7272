package fr.actionlogement.territorial.buildingblocks.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;

/** The shared export writers: RFC 4180 CSV, formula-safe, and JSON lines; and the format negotiation. */
class ExportWritersTest {

    @Test
    @DisplayName("CSV: RFC 4180 quoting (comma, double quote, CR, LF), CRLF records, UTF-8")
    void rfc4180() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CsvWriter w = new CsvWriter(bytes)) {
            w.row("id", "name", "note");
            w.row("a", "Métropole de Lyon, Rhône", "he said \"yes\"");
            w.row("b", "two\nlines", "cr\rinside");
            w.row(null, "", "plain");
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("id,name,note\r\n"
                + "a,\"Métropole de Lyon, Rhône\",\"he said \"\"yes\"\"\"\r\n"
                + "b,\"two\nlines\",\"cr\rinside\"\r\n"
                + ",,plain\r\n");
    }

    @Test
    @DisplayName("CSV: a text cell starting with = + - @ tab or CR is prefixed with a quote; numbers are not")
    void formulaSafe() {
        assertThat(CsvWriter.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(CsvWriter.cell("+33 4 72")).isEqualTo("'+33 4 72");
        assertThat(CsvWriter.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(CsvWriter.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvWriter.cell("\tcmd")).isEqualTo("'\tcmd");
        assertThat(CsvWriter.cell("\rcmd")).isEqualTo("\"'\rcmd\"");
        assertThat(CsvWriter.cell("=1,2")).isEqualTo("\"'=1,2\"");
        assertThat(CsvWriter.cell("a=b")).isEqualTo("a=b");
        assertThat(CsvWriter.cell(new BigDecimal("-1250.50"))).isEqualTo("-1250.50");
        assertThat(CsvWriter.cell(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(CsvWriter.cell(-3)).isEqualTo("-3");
        assertThat(CsvWriter.cell(List.of("CIL:1", "=evil"))).isEqualTo("CIL:1; =evil");
        assertThat(CsvWriter.cell(List.of("=evil", "CIL:1"))).isEqualTo("'=evil; CIL:1");
        assertThat(CsvWriter.cell(LocalDate.of(2026, 3, 15))).isEqualTo("2026-03-15");
    }

    @Test
    @DisplayName("JSON lines: one compact document per line, line breaks in strings escaped")
    void jsonLines() throws Exception {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonLinesWriter w = new JsonLinesWriter(bytes, mapper)) {
            w.write(Map.of("id", "a", "on", LocalDate.of(2026, 3, 15)));
            w.write(Map.of("id", "b", "text", "two\nlines"));
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        assertThat(mapper.readTree(lines[0]).get("on").asText()).isEqualTo("2026-03-15");
        assertThat(mapper.readTree(lines[1]).get("text").asText()).isEqualTo("two\nlines");
        assertThat(lines[0]).doesNotContain(" ");
    }

    @Test
    @DisplayName("format: the query parameter wins, then Accept, CSV by default; an unknown format is 400")
    void negotiation() {
        assertThat(ExportFormat.negotiate(null, null)).isEqualTo(ExportFormat.CSV);
        assertThat(ExportFormat.negotiate(null, "application/x-ndjson")).isEqualTo(ExportFormat.JSON_LINES);
        assertThat(ExportFormat.negotiate(null, "text/csv, application/x-ndjson;q=0.5")).isEqualTo(ExportFormat.CSV);
        assertThat(ExportFormat.negotiate("jsonl", "text/csv")).isEqualTo(ExportFormat.JSON_LINES);
        assertThat(ExportFormat.negotiate("CSV", "application/x-ndjson")).isEqualTo(ExportFormat.CSV);
        assertThat(ExportFormat.negotiate(null, "*/*")).isEqualTo(ExportFormat.CSV);
        assertThatThrownBy(() -> ExportFormat.negotiate("xlsx", null)).isInstanceOf(ProblemException.class);
        assertThat(ExportFormat.JSON_LINES.attachment("agreements")).isEqualTo("attachment; filename=\"agreements.jsonl\"");
    }
}
