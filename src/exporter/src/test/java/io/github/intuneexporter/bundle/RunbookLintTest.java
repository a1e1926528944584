package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RunbookLint} on synthetic runbooks: a good one passes, and each kind of mistake is caught. */
class RunbookLintTest {
    private static final String EXPR =
            "intune_widgets_broken >= scalar(intune:alert_threshold:value{threshold=\"widgets_broken\"})\n";
    private static final List<RunbookLint.AlertRule> RULES =
            List.of(new RunbookLint.AlertRule("IntuneWidgetsBroken", "warning", "15m", EXPR));
    private static final Map<String, String> THRESHOLDS = Map.of("widgets_broken", "5");
    private static final String LEARN = "https://learn.microsoft.com/intune/intune-service/fundamentals/reports";

    private static final String GOOD = """
            # IntuneWidgetsBroken

            ## Meaning

            Widgets are broken.

            ```promql
            # severity: warning, for: 15m
            intune_widgets_broken
              >= scalar(intune:alert_threshold:value{threshold="widgets_broken"})
            ```

            | Threshold | Value |
            |---|---|
            | `widgets_broken` | `5` |

            ## Impact

            Users notice.

            ## First five minutes

            Open *Devices > Monitor* ([Intune reports](%1$s)).

            ## Find the affected devices or users

            *Reports* → *Device compliance*, see [Intune reports](%1$s#device-compliance-reports).

            ## Diagnosis

            Run `intune_widgets_broken > 0` in Prometheus.

            > A quote block is not a path.

            ## Mitigation

            Fix the widgets.

            ## Escalation

            Intune administrator.

            ## Verify recovery

            ```promql
            intune_widgets_broken
            ```

            ## Permissions

            Help Desk Operator.

            ## References

            - [Intune reports](%1$s), ms.date 07/24/2024
            - [The monitoring bundle](../monitoring-bundle.md)
            """.formatted(LEARN);

    private static List<String> lint(String text) {
        return RunbookLint.lint("intunewidgetsbroken.md", text, RULES, THRESHOLDS, Bundle.RUNBOOKS, Bundle.ROOT);
    }

    private static void assertOneProblem(String text, String expected) {
        List<String> problems = lint(text);
        assertEquals(
                1,
                problems.size(),
                () -> "expected exactly one problem containing '" + expected + "', got " + problems);
        assertTrue(problems.get(0).contains(expected), () -> problems.get(0) + " should contain '" + expected + "'");
    }

    @Test
    void aCompleteRunbookPasses() {
        assertEquals(List.of(), lint(GOOD));
    }

    @Test
    void aMissingSectionFails() {
        String text = GOOD.replaceFirst("(?s)## Escalation\n.*?(?=## Verify recovery)", "");
        assertOneProblem(text, "lacks section '## Escalation'");
    }

    @Test
    void sectionsOutOfOrderFail() {
        String text = GOOD.replace("## Impact\n\nUsers notice.\n\n", "")
                .replace("## Permissions\n", "## Impact\n\nUsers notice.\n\n## Permissions\n");
        assertOneProblem(text, "sections are out of order");
    }

    @Test
    void anUncitedNavigationPathFails() {
        String text = GOOD.replace(
                "Fix the widgets.", "Open *Tenant administration > Connectors and tokens* and fix the widgets.");
        assertOneProblem(text, "section 'Mitigation' names the path");
    }

    @Test
    void anArrowPathWithOnlyARepositoryLinkFails() {
        String text =
                GOOD.replace("Fix the widgets.", "Open **Apps** → **Monitor** ([bundle](../monitoring-bundle.md)).");
        assertOneProblem(text, "section 'Mitigation' names the path");
    }

    @Test
    void aThresholdThatDiffersFromItsRuleFails() {
        assertOneProblem(
                GOOD.replace("| `widgets_broken` | `5` |", "| `widgets_broken` | `10` |"),
                "quotes threshold widgets_broken = 10, but its rule says 5");
    }

    @Test
    void aMissingThresholdRowFails() {
        assertOneProblem(
                GOOD.replace("| `widgets_broken` | `5` |\n", ""), "lacks the table row | `widgets_broken` | `5` |");
    }

    @Test
    void anExpressionThatDiffersFromItsRuleFails() {
        List<String> problems = lint(GOOD.replace("  >= scalar", "  > scalar"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("does not quote the warning rule")), problems::toString);
        assertTrue(
                problems.stream().anyMatch(p -> p.contains("quotes an expression that is not the alert's rule")),
                problems::toString);
    }

    @Test
    void aWrongForDurationOrSeverityFails() {
        assertTrue(lint(GOOD.replace("for: 15m", "for: 1h")).stream()
                .anyMatch(p -> p.contains("does not quote the warning rule")));
        assertTrue(lint(GOOD.replace("severity: warning", "severity: critical")).stream()
                .anyMatch(p -> p.contains("does not quote the warning rule")));
    }

    @Test
    void aSecondSeverityMustBeQuotedToo() {
        List<RunbookLint.AlertRule> two = List.of(
                RULES.get(0),
                new RunbookLint.AlertRule(
                        "IntuneWidgetsBroken",
                        "critical",
                        "15m",
                        "intune_widgets_broken >= scalar(intune:alert_threshold:value{threshold=\"widgets_broken_critical\"})"));
        List<String> problems = RunbookLint.lint(
                "x.md",
                GOOD,
                two,
                Map.of("widgets_broken", "5", "widgets_broken_critical", "50"),
                Bundle.RUNBOOKS,
                Bundle.ROOT);
        assertTrue(problems.stream().anyMatch(p -> p.contains("does not quote the critical rule")), problems::toString);
        assertTrue(
                problems.stream().anyMatch(p -> p.contains("lacks the table row | `widgets_broken_critical` | `50` |")),
                problems::toString);
    }

    @Test
    void linksOutsideLearnAppleAndTheRepositoryFail() {
        assertOneProblem(
                GOOD.replace("Fix the widgets.", "Fix them at <https://intune.microsoft.com>."),
                "must be an https://learn.microsoft.com/");
        assertOneProblem(
                GOOD.replace("Fix the widgets.", "See [blog](http://learn.microsoft.com/x)."),
                "must be an https://learn.microsoft.com/");
        assertOneProblem(
                GOOD.replace("Fix the widgets.", "See https://example.com/a."),
                "must be an https://learn.microsoft.com/");
        assertOneProblem(
                GOOD.replace("Fix the widgets.", "See [x](https://learn.microsoft.com)."),
                "is not a well-formed page address");
        assertOneProblem(GOOD.replace("Fix the widgets.", "See [x](../no-such-file.md)."), "does not exist");
        assertEquals(
                List.of(),
                lint(
                        GOOD.replace(
                                "Fix the widgets.",
                                "See [Apple](https://support.apple.com/guide/deployment/welcome/web) and `https://business.apple.com`.")));
    }

    @Test
    void emptyVerifyRecoveryAndReferencesFail() {
        String noBlock = GOOD.replace("```promql\nintune_widgets_broken\n```\n", "It recovers.\n");
        assertOneProblem(noBlock, "'Verify recovery' needs a ```promql block");
        String noLinks = GOOD.replaceFirst("(?s)## References\n.*", "## References\n\nNone.\n");
        assertOneProblem(noLinks, "'References' has no link");
    }

    /** The same checks bite on a shipped page: its threshold row, one section and one citation changed. */
    @Test
    void aShippedRunbookWithAChangedThresholdMissingSectionOrUncitedPathFails() throws java.io.IOException {
        String alert = "IntuneComplianceRatioLow";
        List<RunbookLint.AlertRule> rules = Bundle.alerts().stream()
                .filter(r -> r.alert().equals(alert))
                .map(RunbookLint.AlertRule::of)
                .toList();
        Map<String, String> thresholds = RunbookLint.thresholds(Bundle.rules());
        String file = RunbookLint.fileName(alert);
        String real = java.nio.file.Files.readString(Bundle.RUNBOOKS.resolve(file));
        java.util.function.Function<String, List<String>> lint =
                t -> RunbookLint.lint(file, t, rules, thresholds, Bundle.RUNBOOKS, Bundle.ROOT);
        assertEquals(List.of(), lint.apply(real));

        String threshold = real.replaceFirst("(\\| `compliance_ratio_low` \\| `)[^`]+`", "$1" + "0.5`");
        assertTrue(
                lint.apply(threshold).stream().anyMatch(p -> p.contains("quotes threshold compliance_ratio_low = 0.5")),
                () -> lint.apply(threshold).toString());

        String noEscalation = real.replaceFirst("(?s)## Escalation\n.*?(?=## Verify recovery)", "");
        assertTrue(lint.apply(noEscalation).stream().anyMatch(p -> p.contains("lacks section '## Escalation'")));

        String uncited = real.replaceFirst(
                "(?s)(## Mitigation\n)", "$1\nOpen *Tenant administration > Connectors and tokens* first.\n");
        assertTrue(
                lint.apply(uncited).stream().anyMatch(p -> p.contains("section 'Mitigation' names the path")),
                () -> lint.apply(uncited).toString());
    }

    @Test
    void theTitleMustNameTheAlert() {
        assertOneProblem(
                GOOD.replace("# IntuneWidgetsBroken\n", "# Widgets\n"), "must start with '# IntuneWidgetsBroken'");
    }
}
