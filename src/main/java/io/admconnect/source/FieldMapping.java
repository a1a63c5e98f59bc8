package io.admconnect.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A declarative mapping from a native record (a CSV row, a JSON object, a Salesforce record: a possibly
 * nested {@code Map}) to a canonical record (DESIGN.md), written by partners in their route YAML, one
 * canonical field per line:
 *
 * <pre>
 * externalUserId: Id
 * phone: Phone | MobilePhone            # the first alternative with a value wins
 * firstName: firstWord(FullName)
 * countryCode: MailingCountryCode | 'US'
 * email: properties.email.value         # a dotted path into nested maps
 * consent.userData: `Ads Consent`       # back-quotes: a column name with spaces or other characters
 * </pre>
 *
 * <p>Grammar (see {@link #parse(String)}): blank lines and {@code #} comments are ignored; each line is
 * {@code canonicalField: alternative | alternative | ...}; an alternative is a field path, a quoted
 * constant, or a function call {@code name(alternative)}. Values that are null, blank strings, or empty
 * maps/lists count as absent: the next alternative is tried, and a field with no value is left out of the
 * canonical record. Other values pass through unchanged (strings are not trimmed, Booleans stay Booleans:
 * the consent parser downstream maps {@code true}/{@code false}).
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} renders the mapping in its canonical
 * text form; it holds field names only, never record values.
 */
public final class FieldMapping {

    /** The canonical field names a mapping may write (DESIGN.md), in their documented order. */
    public static final List<String> CANONICAL_FIELDS = List.of(
            "externalUserId", "email", "phone", "firstName", "lastName", "address", "city", "state",
            "postalCode", "countryCode", "ipAddress", "action",
            "consent.adStorage", "consent.userData", "consent.tcf", "consent.gpp");

    /** The canonical field that must be mapped for a file to be usable. */
    public static final String EXTERNAL_USER_ID = "externalUserId";

    private static final String CONSENT = "consent";
    private static final Set<String> CANONICAL = Set.copyOf(CANONICAL_FIELDS);
    private static final Pattern SALESFORCE_FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*");
    private static final FieldMapping IDENTITY = new FieldMapping(null);

    /** canonical field -> its expression; null for the identity mapping. */
    private final Map<String, Expression> fields;

    private FieldMapping(Map<String, Expression> fields) {
        this.fields = fields;
    }

    // ------------------------------------------------------------------------------------------ factories

    /**
     * Parses a mapping. Syntax, one canonical field per line:
     * <ul>
     * <li>{@code canonicalField: expression}; blank lines are skipped; {@code #} starts a comment (outside
     * quotes); each canonical field at most once.</li>
     * <li>expression: one or more alternatives separated by {@code |}; the first that yields a value wins.</li>
     * <li>alternative: a field path {@code Email} or {@code properties.email.value} (letters, digits,
     * {@code _ - $ @}, segments separated by dots; a key that itself contains the dots is matched first);
     * a back-quoted field name {@code `First Name`} (taken literally, never split at dots); a constant
     * {@code 'US'} or {@code "US"}; or a function call {@code name(alternative)} with the functions
     * {@code firstWord}, {@code lastWords}, {@code lower}, {@code upper} and {@code trim}.</li>
     * </ul>
     *
     * @throws IllegalArgumentException naming the line (1-based) and the problem; the message may quote
     *                                  the mapping text (field names, no record values)
     */
    public static FieldMapping parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("field mapping is empty: write one 'canonicalField: nativeField' per line");
        }
        Map<String, Expression> fields = new LinkedHashMap<>();
        Map<String, Integer> definedOn = new LinkedHashMap<>();
        String[] lines = text.split("\\r\\n|\\r|\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            for (String piece : entriesOf(lines[i])) {
                LineParser parser = new LineParser(piece, lineNumber);
                LineParser.Entry entry = parser.parse();
                if (entry == null) {
                    continue;
                }
                Integer previous = definedOn.putIfAbsent(entry.field(), lineNumber);
                if (previous != null) {
                    throw parser.error("'" + entry.field() + "' is already mapped on line " + previous
                            + " (combine the alternatives with '|')");
                }
                fields.put(entry.field(), entry.expression());
            }
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("field mapping has no entries: write one 'canonicalField: nativeField' per line");
        }
        return new FieldMapping(Collections.unmodifiableMap(fields));
    }

    /**
     * The entries of one line: {@code ;} also separates entries (outside quotes), because newlines do not
     * survive a Kamelet parameter (it travels in an endpoint URI); {@code #} starts a comment.
     */
    private static List<String> entriesOf(String line) {
        List<String> entries = new ArrayList<>();
        char open = 0;
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (open != 0) {
                if (c == open) {
                    open = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                open = c;
            } else if (c == '#') {
                entries.add(line.substring(start)); // the parser drops the comment itself
                return entries;
            } else if (c == ';') {
                entries.add(line.substring(start, i));
                start = i + 1;
            }
        }
        entries.add(line.substring(start));
        return entries;
    }

    /**
     * The mapping for records whose keys already are canonical names (a CSV header of canonical names, a
     * canonical JSON line): every canonical field passes through under its own name, and so does a nested
     * {@code consent} map. Keys are matched exactly (case-sensitive); other keys are dropped.
     */
    public static FieldMapping identity() {
        return IDENTITY;
    }

    /**
     * The default Salesforce Contact mapping (DESIGN.md): {@code Id}, {@code Email}, {@code Phone} else
     * {@code MobilePhone}, {@code FirstName}, {@code LastName}, {@code MailingStreet}, {@code MailingCity},
     * {@code MailingState}, {@code MailingPostalCode}, {@code MailingCountryCode}, and the consent checkbox
     * for both {@code consent.adStorage} and {@code consent.userData} (a checkbox is a Boolean: checked
     * becomes GRANTED, unchecked DENIED downstream).
     *
     * @param consentField the API name of the consent checkbox, e.g. {@code Ads_Consent__c}
     * @throws IllegalArgumentException when the name is not a Salesforce field name
     */
    public static FieldMapping salesforceContact(String consentField) {
        if (consentField == null || !SALESFORCE_FIELD.matcher(consentField.strip()).matches()) {
            throw new IllegalArgumentException("consent field must be a Salesforce field API name such as Ads_Consent__c");
        }
        String consent = consentField.strip();
        return parse(String.join("\n",
                "externalUserId: Id",
                "email: Email",
                "phone: Phone | MobilePhone",
                "firstName: FirstName",
                "lastName: LastName",
                "address: MailingStreet",
                "city: MailingCity",
                "state: MailingState",
                "postalCode: MailingPostalCode",
                "countryCode: MailingCountryCode",
                "consent.adStorage: " + consent,
                "consent.userData: " + consent));
    }

    // ------------------------------------------------------------------------------------------ use

    /**
     * Maps one native record. The result holds canonical field names (consent as dotted keys such as
     * {@code consent.userData}; for the identity mapping a nested {@code consent} map is passed on as is),
     * in mapping order, without absent values. The returned map is unmodifiable.
     */
    public Map<String, Object> apply(Map<String, ?> nativeRecord) {
        Objects.requireNonNull(nativeRecord, "nativeRecord");
        Map<String, Object> canonical = new LinkedHashMap<>();
        if (fields == null) {
            for (String field : CANONICAL_FIELDS) {
                Object value = nativeRecord.get(field);
                if (!isAbsent(value)) {
                    canonical.put(field, value);
                }
            }
            Object consent = nativeRecord.get(CONSENT);
            if (consent instanceof Map<?, ?> map && !map.isEmpty()) {
                canonical.put(CONSENT, consent);
            }
        } else {
            for (Map.Entry<String, Expression> entry : fields.entrySet()) {
                Object value = entry.getValue().evaluate(nativeRecord);
                if (value != null) {
                    canonical.put(entry.getKey(), value);
                }
            }
        }
        return Collections.unmodifiableMap(canonical);
    }

    /**
     * Maps one CSV row ({@code names} the header's column names, "" for an unnamed column): as {@link #apply(Map)}
     * on the row's values by column name. The identity mapping, a file drop's usual case, takes the canonical
     * columns straight from the row instead of building that map first (millions of rows per file).
     */
    public Map<String, Object> apply(String[] names, String[] values) {
        if (fields == null) {
            Map<String, Object> canonical = new LinkedHashMap<>();
            for (int column = 0; column < names.length; column++) {
                if (CANONICAL.contains(names[column]) && !isAbsent(values[column])) {
                    canonical.put(names[column], values[column]);
                }
            }
            return Collections.unmodifiableMap(canonical);
        }
        Map<String, Object> row = new LinkedHashMap<>(names.length * 2);
        for (int column = 0; column < names.length; column++) {
            if (!names[column].isEmpty()) {
                row.put(names[column], values[column]);
            }
        }
        return apply(row);
    }

    /** The canonical fields this mapping can write (all of them for the identity mapping). */
    public Set<String> canonicalFields() {
        return fields == null ? new LinkedHashSet<>(CANONICAL_FIELDS) : Collections.unmodifiableSet(fields.keySet());
    }

    /** Whether this mapping writes the canonical field at all. */
    public boolean maps(String canonicalField) {
        return fields == null ? CANONICAL.contains(canonicalField) : fields.containsKey(canonicalField);
    }

    /**
     * Whether the canonical field can get a value from a flat record with these keys (a CSV header): some
     * alternative of its expression is a constant or reads one of the columns (a dotted path reads the column
     * of that literal name). For the identity mapping: the column of that canonical name exists.
     */
    public boolean resolvableFrom(String canonicalField, Collection<String> columns) {
        if (fields == null) {
            return CANONICAL.contains(canonicalField) && columns.contains(canonicalField);
        }
        Expression expression = fields.get(canonicalField);
        return expression != null && expression.resolvableFrom(columns);
    }

    /**
     * Every native field path the mapping reads, in order of appearance (e.g. to build a SOQL field list);
     * for the identity mapping the canonical names.
     */
    public Set<String> nativeFields() {
        Set<String> paths = new LinkedHashSet<>();
        if (fields == null) {
            paths.addAll(CANONICAL_FIELDS);
        } else {
            fields.values().forEach(expression -> expression.collectPaths(paths));
        }
        return Collections.unmodifiableSet(paths);
    }

    public boolean isIdentity() {
        return fields == null;
    }

    /** The mapping in canonical text form (field names, constants and functions only). */
    @Override
    public String toString() {
        if (fields == null) {
            return "identity";
        }
        StringBuilder text = new StringBuilder();
        fields.forEach((field, expression) -> text.append(field).append(": ").append(expression).append('\n'));
        return text.toString();
    }

    // ------------------------------------------------------------------------------------------ values

    /** Null, a blank string, an empty map or an empty collection: not a value. */
    static boolean isAbsent(Object value) {
        if (value == null) {
            return true;
        }
        if (value instanceof CharSequence text) {
            return isBlank(text);
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty();
        }
        if (value instanceof Collection<?> collection) {
            return collection.isEmpty();
        }
        return false;
    }

    private static boolean isBlank(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isSpace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whitespace including no-break spaces (CRM exports carry U+00A0). */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    // ------------------------------------------------------------------------------------------ AST

    /** Alternatives; the first that yields a value wins. */
    private record Expression(List<Term> alternatives) {

        Object evaluate(Map<String, ?> record) {
            for (Term term : alternatives) {
                Object value = term.evaluate(record);
                if (!isAbsent(value)) {
                    return value;
                }
            }
            return null;
        }

        boolean resolvableFrom(Collection<String> columns) {
            return alternatives.stream().anyMatch(term -> term.resolvableFrom(columns));
        }

        void collectPaths(Set<String> paths) {
            alternatives.forEach(term -> term.collectPaths(paths));
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            for (Term term : alternatives) {
                text.append(text.length() == 0 ? "" : " | ").append(term);
            }
            return text.toString();
        }
    }

    private sealed interface Term permits Constant, Path, Call {

        Object evaluate(Map<String, ?> record);

        boolean resolvableFrom(Collection<String> columns);

        void collectPaths(Set<String> paths);
    }

    private record Constant(String value) implements Term {

        @Override
        public Object evaluate(Map<String, ?> record) {
            return value;
        }

        @Override
        public boolean resolvableFrom(Collection<String> columns) {
            return true;
        }

        @Override
        public void collectPaths(Set<String> paths) {
        }

        @Override
        public String toString() {
            return value.indexOf('\'') < 0 ? "'" + value + "'" : "\"" + value + "\"";
        }
    }

    /**
     * A field path. At each level the whole remaining path is first looked up as one literal key (a CSV
     * column {@code consent.userData}), then split at each dot from the left into a key holding a nested map
     * (or list, with a numeric index) and the rest of the path. The first non-null value found wins.
     */
    private record Path(String path, boolean literal) implements Term {

        @Override
        public Object evaluate(Map<String, ?> record) {
            return literal ? record.get(path) : resolve(record, path);
        }

        private static Object resolve(Object node, String path) {
            if (node instanceof Map<?, ?> map) {
                Object value = map.get(path);
                if (value != null) {
                    return value;
                }
                for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
                    Object child = map.get(path.substring(0, dot));
                    if (child instanceof Map<?, ?> || child instanceof List<?>) {
                        Object nested = resolve(child, path.substring(dot + 1));
                        if (nested != null) {
                            return nested;
                        }
                    }
                }
                return null;
            }
            if (node instanceof List<?> list) {
                int dot = path.indexOf('.');
                int index = index(dot < 0 ? path : path.substring(0, dot));
                if (index < 0 || index >= list.size()) {
                    return null;
                }
                return dot < 0 ? list.get(index) : resolve(list.get(index), path.substring(dot + 1));
            }
            return null;
        }

        private static int index(String segment) {
            if (segment.isEmpty() || segment.length() > 9) {
                return -1;
            }
            for (int i = 0; i < segment.length(); i++) {
                if (segment.charAt(i) < '0' || segment.charAt(i) > '9') {
                    return -1;
                }
            }
            return Integer.parseInt(segment);
        }

        @Override
        public boolean resolvableFrom(Collection<String> columns) {
            return columns.contains(path);
        }

        @Override
        public void collectPaths(Set<String> paths) {
            paths.add(path);
        }

        @Override
        public String toString() {
            return literal || !LineParser.isBarePath(path) ? "`" + path + "`" : path;
        }
    }

    private record Call(Function function, Term argument) implements Term {

        @Override
        public Object evaluate(Map<String, ?> record) {
            Object value = argument.evaluate(record);
            if (isAbsent(value) || value instanceof Map<?, ?> || value instanceof Collection<?>) {
                return null;
            }
            return function.apply(value.toString());
        }

        @Override
        public boolean resolvableFrom(Collection<String> columns) {
            return argument.resolvableFrom(columns);
        }

        @Override
        public void collectPaths(Set<String> paths) {
            argument.collectPaths(paths);
        }

        @Override
        public String toString() {
            return function.spelling + "(" + argument + ")";
        }
    }

    /** The functions a mapping may call; each takes the text of a value and returns text or null. */
    private enum Function {
        FIRST_WORD("firstWord") {
            @Override
            String apply(String text) {
                String trimmed = strip(text);
                int end = wordEnd(trimmed);
                return trimmed.substring(0, end);
            }
        },
        LAST_WORDS("lastWords") {
            @Override
            String apply(String text) {
                String trimmed = strip(text);
                return strip(trimmed.substring(wordEnd(trimmed)));
            }
        },
        LOWER("lower") {
            @Override
            String apply(String text) {
                return text.toLowerCase(Locale.ROOT);
            }
        },
        UPPER("upper") {
            @Override
            String apply(String text) {
                return text.toUpperCase(Locale.ROOT);
            }
        },
        TRIM("trim") {
            @Override
            String apply(String text) {
                return strip(text);
            }
        };

        final String spelling;

        Function(String spelling) {
            this.spelling = spelling;
        }

        abstract String apply(String text);

        static Function named(String name) {
            for (Function function : values()) {
                if (function.spelling.equals(name)) {
                    return function;
                }
            }
            return null;
        }

        static String known() {
            List<String> names = new ArrayList<>();
            for (Function function : values()) {
                names.add(function.spelling);
            }
            return String.join(", ", names);
        }

        private static String strip(String text) {
            int start = 0;
            int end = text.length();
            while (start < end && isSpace(text.charAt(start))) {
                start++;
            }
            while (end > start && isSpace(text.charAt(end - 1))) {
                end--;
            }
            return text.substring(start, end);
        }

        private static int wordEnd(String text) {
            int end = 0;
            while (end < text.length() && !isSpace(text.charAt(end))) {
                end++;
            }
            return end;
        }
    }

    // ------------------------------------------------------------------------------------------ parser

    /** Parses one line of a mapping; errors name the line and, where useful, the column. */
    private static final class LineParser {

        record Entry(String field, Expression expression) {
        }

        private final String raw;
        private final int lineNumber;
        private String text;
        private int pos;

        LineParser(String raw, int lineNumber) {
            this.raw = raw;
            this.lineNumber = lineNumber;
        }

        /** The entry on this line, or null for a blank or comment line. */
        Entry parse() {
            text = withoutComment(raw).strip();
            if (text.isEmpty()) {
                return null;
            }
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw error("expected 'canonicalField: expression'");
            }
            String field = text.substring(0, colon).strip();
            checkCanonical(field);
            pos = colon + 1;
            List<Term> alternatives = new ArrayList<>();
            skipSpaces();
            if (pos >= text.length()) {
                throw error("nothing is mapped to '" + field + "'");
            }
            while (true) {
                alternatives.add(term());
                skipSpaces();
                if (pos >= text.length()) {
                    break;
                }
                if (text.charAt(pos) != '|') {
                    throw error("unexpected '" + text.charAt(pos) + "' at column " + column()
                            + " (separate alternatives with '|')");
                }
                pos++;
            }
            return new Entry(field, new Expression(List.copyOf(alternatives)));
        }

        private void checkCanonical(String field) {
            if (field.isEmpty()) {
                throw error("missing canonical field name before ':'");
            }
            if (CANONICAL.contains(field)) {
                return;
            }
            String hint = "";
            for (String known : CANONICAL_FIELDS) {
                if (known.equalsIgnoreCase(field)) {
                    hint = " (did you mean '" + known + "'?)";
                }
            }
            if (hint.isEmpty() && field.equals(CONSENT)) {
                hint = " (map consent.userData, consent.adStorage, consent.tcf or consent.gpp)";
            }
            throw error("unknown canonical field '" + field + "'" + hint + "; known: " + String.join(", ", CANONICAL_FIELDS));
        }

        private Term term() {
            skipSpaces();
            if (pos >= text.length() || text.charAt(pos) == '|') {
                throw error("empty alternative at column " + column());
            }
            char c = text.charAt(pos);
            int startColumn = column();
            if (c == '\'' || c == '"') {
                String value = quoted(c, "constant");
                if (value.isEmpty()) {
                    throw error("empty constant at column " + startColumn + " (it could never supply a value)");
                }
                return new Constant(value);
            }
            if (c == '`') {
                String name = quoted(c, "field name");
                if (name.isEmpty()) {
                    throw error("empty field name `` at column " + startColumn);
                }
                return new Path(name, true);
            }
            int start = pos;
            while (pos < text.length() && isPathChar(text.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw error("unexpected '" + c + "' at column " + column()
                        + " (expected a field name, a 'constant' or a function(...))");
            }
            String word = text.substring(start, pos);
            int afterWord = pos;
            skipSpaces();
            if (pos < text.length() && text.charAt(pos) == '(') {
                Function function = Function.named(word);
                if (function == null) {
                    String hint = "";
                    for (Function known : Function.values()) {
                        if (known.spelling.equalsIgnoreCase(word)) {
                            hint = " (did you mean '" + known.spelling + "'?)";
                        }
                    }
                    throw error("unknown function '" + word + "'" + hint + "; known: " + Function.known());
                }
                pos++;
                Term argument = term();
                skipSpaces();
                if (pos >= text.length() || text.charAt(pos) != ')') {
                    throw error("missing ')' after the argument of " + word + "(...)");
                }
                pos++;
                return new Call(function, argument);
            }
            pos = afterWord;
            if (word.startsWith(".") || word.endsWith(".") || word.contains("..")) {
                throw error("empty segment in the field path '" + word + "'");
            }
            return new Path(word, false);
        }

        /** Reads a quoted text starting at the opening quote (no escapes; use the other quote inside). */
        private String quoted(char quote, String what) {
            int close = text.indexOf(quote, pos + 1);
            if (close < 0) {
                throw error("unterminated " + what + ": missing closing " + quote);
            }
            String value = text.substring(pos + 1, close);
            pos = close + 1;
            return value;
        }

        private void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private int column() {
            return raw.indexOf(text) + pos + 1;
        }

        static boolean isPathChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '$' || c == '@' || c == '.';
        }

        static boolean isBarePath(String path) {
            if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
                return false;
            }
            for (int i = 0; i < path.length(); i++) {
                if (!isPathChar(path.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        /** The line up to a {@code #} that is not inside quotes or back-quotes. */
        private String withoutComment(String line) {
            char open = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (open != 0) {
                    if (c == open) {
                        open = 0;
                    }
                } else if (c == '\'' || c == '"' || c == '`') {
                    open = c;
                } else if (c == '#') {
                    return line.substring(0, i);
                }
            }
            return line;
        }

        IllegalArgumentException error(String problem) {
            return new IllegalArgumentException("field mapping line " + lineNumber + ": " + problem
                    + " in \"" + raw.strip() + "\"");
        }
    }
}
