package io.github.kafkamailer.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets given by reference (CONTRACT.md): {@code ${env:NAME}} or {@code ${file:/path}}, so that a config
 * record on a topic need not hold the password itself. The mailer resolves them when it applies the record,
 * through a {@link Resolver} that knows its environment; the model only knows the syntax.
 */
public final class SecretReferences {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    /** Looks a reference up; throws {@link IllegalArgumentException} with a reason when it can't. */
    public interface Resolver {
        String env(String name);

        String file(String path);
    }

    private SecretReferences() {
    }

    /** True when the value is meant as a reference (starts with {@code ${}). */
    public static boolean looksLikeReference(String value) {
        return value != null && value.startsWith("${");
    }

    /** Null when the value is a literal or a well-formed reference; else why not. */
    public static String syntaxProblem(String value) {
        if (!looksLikeReference(value)) {
            return null;
        }
        return REFERENCE.matcher(value).matches() ? null
                : "a secret reference must be ${env:NAME} or ${file:/path}";
    }

    /**
     * The config with its secret references replaced by their values; literals stay as they are.
     *
     * @throws InvalidRecordException naming each secret whose reference can't be resolved (never its value)
     */
    public static MailerConfig resolve(MailerConfig config, Resolver resolver) {
        List<Violation> problems = new ArrayList<>();
        Secret password = ServerFields.PRIMARY_SMTP.resolvePassword(config.smtpPassword(), resolver, problems);
        Secret clientSecret = resolveOne("clientSecret", config.clientSecret(), resolver, problems);
        Secret bouncePassword = ServerFields.BOUNCE_IMAP.resolvePassword(config.bounceImapPassword(), resolver,
                problems);
        Secret fallbackPassword = ServerFields.FALLBACK_SMTP.resolvePassword(config.fallbackSmtpPassword(), resolver,
                problems);
        if (!problems.isEmpty()) {
            throw new InvalidRecordException(problems);
        }
        return config.withSecrets(password, clientSecret).withBounceImapPassword(bouncePassword)
                .withFallbackPassword(fallbackPassword);
    }

    /**
     * The value {@code reference} ({@code ${env:NAME}} or {@code ${file:/path}}) names, checked as a secret: not
     * empty, no control characters, not itself a reference.
     *
     * @throws IllegalArgumentException saying why it can't be resolved (naming the reference, never a value)
     */
    public static String resolveReference(String reference, Resolver resolver) {
        Matcher m = REFERENCE.matcher(reference);
        if (!m.matches()) {
            throw new IllegalArgumentException("a secret reference must be ${env:NAME} or ${file:/path}");
        }
        String value = "env".equals(m.group(1)) ? resolver.env(m.group(2)) : resolver.file(m.group(2));
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the reference " + reference + " resolves to nothing");
        }
        // The resolved value must pass the rules a literal secret passes, or the stored config could not be
        // read back where it is used (and a CR or LF has no place in an SMTP AUTH exchange).
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("the reference " + reference
                    + " resolves to a value with control characters (CR, LF, NUL, ...)");
        }
        if (looksLikeReference(value) || value.equals(Secret.REDACTED)) {
            throw new IllegalArgumentException("the reference " + reference
                    + " resolves to another reference or the redacted placeholder");
        }
        return value;
    }

    /** The kind ({@code env} or {@code file}) and the name or path of a well-formed reference; null otherwise. */
    public static String[] parts(String reference) {
        Matcher m = reference == null ? null : REFERENCE.matcher(reference);
        return m != null && m.matches() ? new String[] {m.group(1), m.group(2)} : null;
    }

    static Secret resolveOne(String field, Secret secret, Resolver resolver, List<Violation> problems) {
        if (secret == null || !looksLikeReference(secret.reveal())) {
            return secret;
        }
        try {
            return Secret.ofNullable(resolveReference(secret.reveal(), resolver));
        } catch (IllegalArgumentException e) {
            problems.add(new Violation(field, e.getMessage()));
            return null;
        }
    }
}
