package io.github.kafkamailer.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs the tests only where a Docker engine answers; elsewhere they are skipped with the reason. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EnabledIfDockerEngine.Condition.class)
public @interface EnabledIfDockerEngine {
    /** The JUnit condition behind the annotation. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return DockerEngine.unavailableReason()
                    .map(reason -> {
                        if (context.getTestMethod().isEmpty()) {
                            System.out.println(context.getDisplayName() + " skipped: " + reason);
                        }
                        return ConditionEvaluationResult.disabled("skipped: " + reason);
                    })
                    .orElseGet(() -> ConditionEvaluationResult.enabled("a Docker engine answers"));
        }
    }
}
