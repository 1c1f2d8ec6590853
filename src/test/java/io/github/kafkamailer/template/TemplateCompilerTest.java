package io.github.kafkamailer.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.model.Template;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateCompilerTest {
    private static final long ROOMY = 1_000_000;

    private static RenderedContent render(String subject, String text, String html, Map<String, Object> data) {
        return TemplateCompiler.compile(new Template("t", "n", subject, text, html)).render(data, ROOMY);
    }

    @Test
    void rendersVariablesSectionsAndInvertedSections() {
        Map<String, Object> data = Map.of("number", 42, "customer", Map.of("name", "Ann"),
                "lines", List.of(Map.of("item", "pen"), Map.of("item", "ink")), "paid", false);
        RenderedContent r = render("Invoice {{number}}", "Dear {{customer.name}}:{{#lines}} {{item}}{{/lines}}"
                + "{{^paid}} (unpaid){{/paid}}", null, data);
        assertThat(r.subject()).isEqualTo("Invoice 42");
        assertThat(r.text()).isEqualTo("Dear Ann: pen ink (unpaid)");
        assertThat(r.html()).isNull();
    }

    @Test
    void escapesHtmlOnlyInHtmlAndTripleBracesNot() {
        Map<String, Object> data = Map.of("x", "<b>&\"'</b>");
        RenderedContent r = render("S {{x}}", "T {{x}}", "<p>{{x}}</p>{{{x}}}", data);
        assertThat(r.subject()).isEqualTo("S <b>&\"'</b>");
        assertThat(r.text()).isEqualTo("T <b>&\"'</b>");
        assertThat(r.html()).startsWith("<p>&lt;b&gt;&amp;").endsWith("</p><b>&\"'</b>");
    }

    @Test
    void aMissingVariableRendersAsNothing() {
        assertThat(render("a{{nope}}b{{deep.er.nope}}c", "x", null, Map.of()).subject()).isEqualTo("abc");
    }

    @Test
    void looksUpDataOnlyNeverJavaMethods() {
        RenderedContent r = render("{{name.length}}{{name.class}}{{name.bytes}}", "{{list.size}}", null,
                Map.of("name", "Ann", "list", List.of(1, 2)));
        assertThat(r.subject()).isEmpty();
        assertThat(r.text()).isEmpty();
    }

    @Test
    void wholeNumbersReadAsDoublesPrintWithoutAFraction() {
        assertThat(render("{{a}} {{b}}", "x", null, Map.of("a", 3.0, "b", 2.5)).subject()).isEqualTo("3 2.5");
    }

    @Test
    void aTemplateThatDoesntParseNamesThePartAndTheLine() {
        assertThatThrownBy(() -> render("ok", "line one\nline two {{#open}}\nline three", null, Map.of()))
                .isInstanceOfSatisfying(TemplateSyntaxException.class, e -> {
                    assertThat(e.part()).isEqualTo("text");
                    assertThat(e.line()).isGreaterThanOrEqualTo(2);
                    assertThat(e.getMessage()).startsWith("text: line ");
                });
        assertThatThrownBy(() -> render("ok", null, "<p>{{/close}}</p>", Map.of()))
                .isInstanceOfSatisfying(TemplateSyntaxException.class, e -> assertThat(e.part()).isEqualTo("html"));
    }

    @Test
    void refusesPartialsParentsAndPragmas() {
        for (String source : List.of("{{>header}}", "{{<parent}}{{/parent}}", "{{%IMPLICIT-ITERATOR}}")) {
            assertThatThrownBy(() -> render("s", source, null, Map.of()))
                    .as(source).isInstanceOf(TemplateSyntaxException.class);
        }
    }

    @Test
    void aRenderedSubjectWithALineBreakIsRefused() {
        assertThatThrownBy(() -> render("Hi {{name}}", "x", null, Map.of("name", "a\r\nBcc: evil@example.com")))
                .isInstanceOf(TemplateRenderException.class).hasMessageContaining("subject");
    }

    @Test
    void outputPastTheLimitStopsTheRender() {
        List<Object> many = new ArrayList<>(Collections.nCopies(10_000, "0123456789"));
        CompiledTemplate t = TemplateCompiler.compile(new Template("t", "n", "s", "{{#l}}{{.}}{{/l}}", null));
        assertThat(t.render(Map.of("l", many), 200_000).text()).hasSize(100_000);
        assertThatThrownBy(() -> t.render(Map.of("l", many), 50_000))
                .isInstanceOf(TemplateRenderException.class).hasMessageContaining("50000");
    }

    @Test
    void nestedSectionsThatLoopWithoutWritingStopAtTheItemBudget() {
        List<Object> thousand = new ArrayList<>(Collections.nCopies(1000, 1));
        CompiledTemplate t = TemplateCompiler.compile(new Template("t", "n", "s",
                "{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}", null));
        assertThatThrownBy(() -> t.render(Map.of("l", thousand), ROOMY))
                .isInstanceOf(TemplateRenderException.class).hasMessageContaining("items");
    }
}
