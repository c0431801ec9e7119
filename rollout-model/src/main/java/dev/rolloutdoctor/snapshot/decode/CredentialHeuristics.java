package dev.rolloutdoctor.snapshot.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a literal environment value may be kept in the model or must be withheld because it looks like a
 * credential. It errs towards withholding: a withheld value costs a diagnosis little, a kept secret can leak into a
 * report that gets pasted into a ticket.
 */
public final class CredentialHeuristics {

    /** Names that hold a whole connection string, credentials included, whatever else the name says. */
    private static final Pattern ALWAYS_SENSITIVE = Pattern.compile(
            "(?:^|_)(?:DATABASE_?URL|CONN(?:ECTION)?_?STR(?:ING)?)(?:_|$)");

    /** Words that make a variable sensitive unless its last word says it holds something about the credential. */
    private static final List<String> SENSITIVE_WORDS = List.of("PASSWORD", "PASSWD", "PASSPHRASE", "SECRET",
            "APIKEY", "ACCESSKEY", "PRIVATEKEY", "CREDENTIAL", "COOKIE", "SESSIONKEY", "SIGNINGKEY", "ENCRYPTIONKEY");

    /** Last words of names that describe a credential rather than hold it ({@code TOKEN_URL}, {@code SECRET_NAME}). */
    private static final Set<String> DESCRIBING_SUFFIXES = Set.of("URL", "URI", "ENDPOINT", "HOST", "HOSTNAME",
            "SERVER", "PORT", "ENABLED", "ENABLE", "DISABLED", "DISABLE", "REQUIRED", "TYPE", "MODE", "METHOD",
            "PROVIDER", "ISSUER", "REALM", "DOMAIN", "SCOPE", "SCOPES", "AUDIENCE", "NAME", "NAMESPACE", "TIMEOUT",
            "TTL", "EXPIRY", "EXPIRATION", "EXPIRES", "LIFETIME", "DURATION", "SECONDS", "INTERVAL", "LENGTH", "SIZE",
            "ALGORITHM", "ALG", "VERSION", "COUNT", "RETRIES", "ID", "USER", "USERNAME", "EMAIL", "REF", "KIND",
            "FORMAT");

    /** Last words of names that hold a file system location; kept when the value looks like a path. */
    private static final Set<String> LOCATION_SUFFIXES = Set.of("FILE", "FILES", "PATH", "DIR", "DIRECTORY",
            "FILENAME", "LOCATION", "MOUNT", "FOLDER");

    /** Well-known variables that hold the path of a credentials file, not the credentials. */
    private static final Set<String> KNOWN_PATH_VARIABLES = Set.of("GOOGLE_APPLICATION_CREDENTIALS", "KUBECONFIG",
            "PWD", "OLDPWD");

    /** Words before a final KEY that make it a data key rather than a secret ({@code CACHE_KEY}, {@code PUBLIC_KEY}). */
    private static final Set<String> DATA_KEY_QUALIFIERS = Set.of("PUBLIC", "PARTITION", "CACHE", "ROUTING", "SORT",
            "PRIMARY", "FOREIGN", "LOOKUP", "LABEL", "TOPOLOGY", "IDEMPOTENCY", "GROUP", "SHARD", "LOCK", "METRIC",
            "QUEUE", "DEDUP", "TENANT", "OBJECT", "CONFIG", "TRACE", "CORRELATION");

    /** Last words of names that hold key material or certificates. */
    private static final Set<String> KEY_MATERIAL_SUFFIXES = Set.of("KEY", "KEYS", "CERT", "CERTS", "CRT",
            "CERTIFICATE", "PEM", "PFX", "P12", "KEYSTORE", "JKS");

    private static final Pattern URL_WITH_PASSWORD = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s/@:]*:[^\\s/@]+@");
    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
    private static final Pattern AWS_ACCESS_KEY_ID = Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])");
    private static final Pattern GITHUB_TOKEN = Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})");
    private static final Pattern SLACK_TOKEN = Pattern.compile(
            "\\bxox[abpr]-[A-Za-z0-9-]{8,}|hooks\\.slack\\.com/services/[A-Za-z0-9]+/[A-Za-z0-9]+/[A-Za-z0-9]+");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "\\b(?:[Bb]earer|BEARER|[Bb]asic|BASIC)\\s+([A-Za-z0-9._~+/=-]{8,})");
    /** An assignment of a secret inside a longer value ({@code -Ddb.password=x}, {@code Password=x;} in a connection string). */
    private static final Pattern EMBEDDED_ASSIGNMENT = Pattern.compile(
            "(?i)(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)[A-Za-z0-9_.-]*"
                    + "\\s*[=:]\\s*(?!(?:true|false|\\d+[a-z]?)(?:[\\s&;,]|$))[^\\s&;,]+");
    private static final Pattern OPAQUE_CHARS = Pattern.compile("[A-Za-z0-9+/=_-]{32,}");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    private static final Pattern PATH = Pattern.compile("(?:~|\\.{1,2})?/?[\\w.@+-]*(?:/[\\w.@+-]*)+|[\\w.-]+\\."
            + "(?:json|ya?ml|pem|crt|key|p12|pfx|jks|txt|conf|cfg|ini|properties|env|toml)");
    private static final Pattern CAMEL_BOUNDARY = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])");

    /** In a log line: the password of a URL ({@code scheme://user:PASSWORD@host}). */
    private static final Pattern LOG_URL_PASSWORD = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s/@:]*:)([^\\s/@]+)(@)");
    /** In a log line: the credential of an Authorization header, whatever its scheme. */
    private static final Pattern LOG_AUTHORIZATION_HEADER = Pattern.compile(
            "(?i)(\\b(?:proxy-)?authorization[\"']?\\s*[:=]\\s*[\"']?(?:(?:bearer|basic|token|digest|negotiate)\\s+)?)([^\\s\"',;]+)");
    /** In a log line: a token shaped like a secret whatever is around it. */
    private static final Pattern LOG_SHAPED_TOKEN = Pattern.compile(JWT.pattern() + "|" + AWS_ACCESS_KEY_ID.pattern() + "|"
            + GITHUB_TOKEN.pattern() + "|" + SLACK_TOKEN.pattern());
    /**
     * In a log line: {@code name=value}, {@code name: value}, {@code "name":"value"}. The name starts after anything
     * but a word character, so that {@code -Ddb.password=x} and {@code --token=x} are seen but not timestamps.
     */
    private static final Pattern LOG_ASSIGNMENT = Pattern.compile(
            "(?<![A-Za-z0-9_.])([\"']?)([A-Za-z][A-Za-z0-9_.-]*)\\1(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s&;,\"'}\\])]+)");
    private static final Pattern PLAIN_WORD = Pattern.compile("[a-z]+");
    private static final Pattern SMALL_NUMBER_OR_FLAG = Pattern.compile("(?i)\\d{1,4}|true|false|null|none|yes|no|on|off");

    private CredentialHeuristics() {
    }

    /** What replaces a command-line argument that looked like a credential. */
    public static final String WITHHELD = "<withheld: looked like a credential>";

    /**
     * A container's command or args with credentials taken out: {@code --password=x} keeps its flag and loses its
     * value, the value after a flag like {@code --token} is withheld, and any argument shaped like a secret (a
     * private key, a JWT, a URL with a password, an inline {@code password=...}) is withheld whole.
     */
    public static List<String> screenArguments(List<String> args) {
        List<String> out = new java.util.ArrayList<>(args.size());
        boolean withholdNext = false;
        for (String arg : args) {
            if (withholdNext && !arg.startsWith("-")) {
                out.add(WITHHELD);
                withholdNext = false;
                continue;
            }
            withholdNext = false;
            int eq = arg.indexOf('=');
            if (arg.startsWith("-") && eq > 0) {
                String name = arg.substring(0, eq).replaceFirst("^-+", "");
                String value = arg.substring(eq + 1);
                if (looksLikeCredential(name, value)) {
                    out.add(arg.substring(0, eq + 1) + WITHHELD);
                    continue;
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                withholdNext = nameLooksSensitive(arg.replaceFirst("^-+", ""), "");
            }
            out.add(valueLooksLikeCredential(arg) ? WITHHELD : arg);
        }
        return List.copyOf(out);
    }

    /**
     * A line of a container log with its credentials taken out and everything else kept, so that what explains a
     * crash ({@code connection refused}, {@code OOM}) still reads: the value of an assignment whose name holds a
     * credential ({@code password=x}, {@code "apiKey": "x"}), the credential of an Authorization header or
     * {@code Bearer} token, the password of a URL, and tokens shaped like secrets (a JWT, an AWS access key id, GitHub
     * and Slack tokens) become {@link #WITHHELD}. Prose is left alone: {@code password reset failed for user} has no
     * value, and in {@code secret: not found} the word after the colon is followed by more words, so it is read as a
     * sentence rather than a value.
     */
    public static String screenLogLine(String line) {
        if (line.indexOf('=') < 0 && line.indexOf(':') < 0 && !mayHoldShapedToken(line)) {
            return line;
        }
        String s = LOG_URL_PASSWORD.matcher(line).replaceAll(m -> quote(m.group(1) + WITHHELD + m.group(3)));
        s = LOG_AUTHORIZATION_HEADER.matcher(s).replaceAll(m -> isWithheld(m.group(2)) ? quote(m.group())
                : quote(m.group(1) + WITHHELD));
        s = AUTHORIZATION.matcher(s).replaceAll(m -> hasAuthorizationHeader(m.group())
                ? quote(m.group().substring(0, m.start(1) - m.start()) + WITHHELD) : quote(m.group()));
        s = LOG_SHAPED_TOKEN.matcher(s).replaceAll(quote(WITHHELD));
        return screenAssignments(s);
    }

    private static boolean mayHoldShapedToken(String line) {
        return line.contains("eyJ") || line.contains("AKIA") || line.contains("ASIA") || line.contains("gh")
                || line.contains("xox") || line.contains("earer") || line.contains("EARER") || line.contains("asic")
                || line.contains("ASIC") || line.contains("github_pat_");
    }

    private static String screenAssignments(String s) {
        var m = LOG_ASSIGNMENT.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        int last = 0;
        while (m.find()) {
            String name = m.group(2);
            String value = m.group(4);
            if (!withholdAssignment(s, m.end(), name, m.group(3), value)) {
                continue;
            }
            boolean quoted = value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'');
            out.append(s, last, m.start(4));
            out.append(quoted ? value.charAt(0) + WITHHELD + value.charAt(0) : WITHHELD);
            last = m.end(4);
        }
        return last == 0 ? s : out.append(s, last, s.length()).toString();
    }

    private static boolean withholdAssignment(String line, int end, String name, String separator, String value) {
        boolean quoted = value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'');
        String bare = quoted ? value.substring(1, value.length() - 1) : value;
        if (bare.isBlank() || isWithheld(bare) || SMALL_NUMBER_OR_FLAG.matcher(bare).matches()
                || words(name).contains("AUTHORIZATION") || words(name).equals(List.of("KEY"))
                || !nameLooksSensitive(name, bare)) {
            // a bare "key" in a log is a controller's work-queue or cache key (key=shop/web), not key material
            return false;
        }
        return !(separator.contains(":") && !separator.endsWith(":") && !quoted && isProse(line, end, bare));
    }

    /** A lower-case word after {@code name: } that more words follow reads as a sentence, not as a value. */
    private static boolean isProse(String line, int end, String value) {
        return PLAIN_WORD.matcher(value).matches() && end + 1 < line.length() && Character.isWhitespace(line.charAt(end))
                && !Character.isWhitespace(line.charAt(end + 1));
    }

    private static boolean isWithheld(String value) {
        return value.startsWith("<withheld");
    }

    private static String quote(String replacement) {
        return java.util.regex.Matcher.quoteReplacement(replacement);
    }

    /** True when a variable with this name and value should not have its value kept. */
    public static boolean looksLikeCredential(String name, String value) {
        return valueLooksLikeCredential(value) || nameLooksSensitive(name, value);
    }

    /** True when the value has the shape of a secret whatever it is called. */
    public static boolean valueLooksLikeCredential(String value) {
        return value.contains("-----BEGIN")
                || URL_WITH_PASSWORD.matcher(value).find()
                || JWT.matcher(value).find()
                || AWS_ACCESS_KEY_ID.matcher(value).find()
                || GITHUB_TOKEN.matcher(value).find()
                || SLACK_TOKEN.matcher(value).find()
                || hasAuthorizationHeader(value)
                || EMBEDDED_ASSIGNMENT.matcher(value).find()
                || isOpaqueToken(value.strip());
    }

    /**
     * True when the name says the variable holds a credential. {@code value} only matters for names that may hold
     * the path of a credentials file ({@code AWS_SHARED_CREDENTIALS_FILE=/credentials/cloud} is kept).
     */
    public static boolean nameLooksSensitive(String name, String value) {
        List<String> words = words(name);
        if (words.isEmpty()) {
            return false;
        }
        String joined = String.join("_", words);
        String compact = String.join("", words);
        if (ALWAYS_SENSITIVE.matcher(joined).find()) {
            return true;
        }
        if (!hasSensitiveWord(words, compact)) {
            return false;
        }
        String last = words.get(words.size() - 1);
        if (DESCRIBING_SUFFIXES.contains(last)) {
            return false;
        }
        boolean pathLike = PATH.matcher(value.strip()).matches();
        return !(pathLike && (LOCATION_SUFFIXES.contains(last) || KNOWN_PATH_VARIABLES.contains(joined)));
    }

    private static boolean hasSensitiveWord(List<String> words, String compact) {
        for (String w : SENSITIVE_WORDS) {
            if (compact.contains(w)) {
                return true;
            }
        }
        for (String w : words) {
            if (w.equals("PASS") || w.endsWith("PWD") || w.equals("TOKENS") || w.endsWith("TOKEN")
                    || w.equals("SALT") || w.equals("PEPPER") || w.endsWith("DSN")
                    || isAuthWord(w)) {
                return true;
            }
        }
        return endsWithKeyMaterial(words);
    }

    private static boolean isAuthWord(String w) {
        return w.contains("AUTH") && !w.startsWith("AUTHOR") || w.equals("AUTHORIZATION");
    }

    private static boolean endsWithKeyMaterial(List<String> words) {
        String last = words.get(words.size() - 1);
        if (!KEY_MATERIAL_SUFFIXES.contains(last)) {
            return false;
        }
        if ((last.equals("KEY") || last.equals("KEYS")) && words.size() > 1) {
            return !DATA_KEY_QUALIFIERS.contains(words.get(words.size() - 2));
        }
        return true;
    }

    /** {@code Bearer <token>} or {@code Basic <base64>}, where the credential is not an ordinary word. */
    private static boolean hasAuthorizationHeader(String value) {
        var m = AUTHORIZATION.matcher(value);
        while (m.find()) {
            String credential = m.group(1);
            boolean digit = credential.chars().anyMatch(Character::isDigit);
            boolean upper = credential.chars().anyMatch(c -> c >= 'A' && c <= 'Z');
            boolean lower = credential.chars().anyMatch(c -> c >= 'a' && c <= 'z');
            if (digit || (upper && lower)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A long run of base64, base64url or hex with letters and digits: an API key, a token, a hash. Identifiers in
     * one letter case joined by {@code - _ /} (names, paths, UUIDs) are not taken for one.
     */
    public static boolean isOpaqueToken(String v) {
        if (!OPAQUE_CHARS.matcher(v).matches()) {
            return false;
        }
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        boolean separator = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            digit |= c >= '0' && c <= '9';
            separator |= c == '-' || c == '_' || c == '/';
        }
        if (!digit || !(upper || lower)) {
            return false;
        }
        return HEX.matcher(v).matches() || (upper && lower) || !separator;
    }

    /** The words of a variable name in upper case: {@code dbPassword}, {@code db-password}, {@code DB_PASSWORD} all give DB, PASSWORD. */
    static List<String> words(String name) {
        String spaced = CAMEL_BOUNDARY.matcher(name).replaceAll("_").toUpperCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (String w : spaced.split("[^A-Z0-9]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
