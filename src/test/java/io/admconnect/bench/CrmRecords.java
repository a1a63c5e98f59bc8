package io.admconnect.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Synthetic CRM contacts for the end-to-end benchmark: canonical records with names, emails, phones and
 * street addresses of the US, Germany, the UK, France and Japan, written the way CRMs export them (mixed
 * case, national and international phone formats, accents, ZIP+4, addresses with commas). Deterministic:
 * record {@code n} is always the same. About 3 % cannot become members (no consent, a bad external id, no
 * usable identity, a row missing a column) and about 3 % are removals (action {@code remove} or withdrawn
 * consent), so both rejections and DELETE batches are in the mix.
 */
final class CrmRecords {

    static final String[] COLUMNS = { "externalUserId", "email", "phone", "firstName", "lastName", "address", "city", "state",
            "postalCode", "countryCode", "action", "consent.userData", "consent.adStorage" };

    private static final String[] COUNTRIES = { "US", "US", "US", "US", "DE", "DE", "GB", "GB", "FR", "JP" };

    private static final String[][] FIRST_NAMES = {
            { "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "Maria", "José" },
            { "Jürgen", "Anna", "Lukas", "Sophie", "Maximilian", "Marie", "Björn", "Lena", "Felix", "Hanna", "Jörg", "Käthe" },
            { "Oliver", "Olivia", "George", "Amelia", "Harry", "Isla", "Jack", "Ava", "Noah", "Emily", "Siobhán", "Rhys" },
            { "François", "Hélène", "Léa", "Jean-Pierre", "Chloé", "Hugo", "Zoé", "Théo", "Manon", "Raphaël", "Inès", "Loïc" },
            { "Haruto", "Yui", "Sota", "Hina", "Yuto", "Mio", "Ren", "Sakura", "大翔", "陽葵", "Takumi", "Aoi" } };
    private static final String[][] LAST_NAMES = {
            { "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "O'Brien", "Martinez", "Lee", "Nguyen" },
            { "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schäfer", "Groß", "Köhler", "Hoffmann" },
            { "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "O'Neill", "Evans" },
            { "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Lefèvre", "Moreau", "Girard", "Lemaître" },
            { "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "佐藤", "鈴木", "Kobayashi", "Kato" } };
    private static final String[][] STREETS = {
            { "Main Street", "Oak Ave", "Maple Drive", "Washington Blvd", "Park Road", "Lake St.", "Sunset Boulevard", "Elm Court" },
            { "Hauptstraße", "Bahnhofstr.", "Goethestraße", "Schillerweg", "Lindenallee", "Am Markt", "Kirchgasse", "Gartenstraße" },
            { "High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane", "Manor Road", "Baker Street", "Park Avenue" },
            { "rue de la Paix", "avenue des Champs-Élysées", "boulevard Saint-Michel", "rue Victor Hugo", "place de la République",
                    "rue du Faubourg Saint-Honoré", "allée des Tilleuls", "quai de la Tournelle" },
            { "Shibuya", "Shinjuku", "Minato-ku Roppongi", "Chiyoda-ku Marunouchi", "Chuo-ku Ginza", "Naka-ku", "Kita-ku Umeda",
                    "Sakyo-ku" } };
    private static final String[][] CITIES = {
            { "New York", "Los Angeles", "Chicago", "Houston", "Phoenix", "San Francisco", "Seattle", "Boston" },
            { "Berlin", "München", "Hamburg", "Köln", "Frankfurt am Main", "Stuttgart", "Düsseldorf", "Leipzig" },
            { "London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Liverpool", "Bristol", "Edinburgh" },
            { "Paris", "Marseille", "Lyon", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier" },
            { "Tokyo", "Osaka", "Yokohama", "Nagoya", "Sapporo", "Fukuoka", "Kobe", "Kyoto" } };
    private static final String[][] STATES = {
            { "NY", "California", "IL", "Texas", "AZ", "CA", "Washington", "MA" },
            { "Berlin", "Bayern", "Hamburg", "Nordrhein-Westfalen", "Hessen", "Baden-Württemberg", "NRW", "Sachsen" },
            { "", "", "", "West Yorkshire", "", "Merseyside", "", "" },
            { "", "", "", "", "", "", "", "" },
            { "Tokyo", "Osaka", "Kanagawa", "Aichi", "Hokkaido", "Fukuoka", "Hyogo", "Kyoto" } };
    private static final String[] US_AREA_CODES = { "212", "415", "312", "713", "602", "206", "617", "305", "512", "303" };
    private static final String[] MAIL_DOMAINS = { "gmail.com", "yahoo.com", "outlook.com", "web.de", "gmx.de", "btinternet.com",
            "orange.fr", "free.fr", "yahoo.co.jp", "icloud.com" };

    private final long seed;
    private final String idPrefix;

    /** Records of this seed; record n's external user id is {@code idPrefix + n}. */
    CrmRecords(long seed, String idPrefix) {
        this.seed = seed;
        this.idPrefix = idPrefix;
    }

    /** The CSV of {@code count} records (header and all), generated once per count and kept under {@code directory}. */
    Path csv(Path directory, int count) throws IOException {
        Path file = directory.resolve(idPrefix + seed + "-" + count + ".csv");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(directory);
        Path partial = directory.resolve(file.getFileName() + ".part");
        try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            out.write(String.join(",", COLUMNS));
            out.write('\n');
            StringBuilder line = new StringBuilder(256);
            for (int n = 0; n < count; n++) {
                line.setLength(0);
                String[] values = record(n);
                // A row missing its last column: the reader rejects it as malformed and goes on.
                int columns = values.length - (n % 500 == 499 ? 1 : 0);
                for (int i = 0; i < columns; i++) {
                    if (i > 0) {
                        line.append(',');
                    }
                    appendCsv(line, values[i]);
                }
                out.append(line).append('\n');
            }
        }
        return Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Record {@code n} as JSON (a canonical webhook record), fields without a value left out. */
    String json(int n) {
        String[] values = record(n);
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < COLUMNS.length; i++) {
            if (!values[i].isEmpty()) {
                json.put(COLUMNS[i], values[i]);
            }
        }
        return json.toString();
    }

    /** The values of record {@code n}, in {@link #COLUMNS} order ("" for no value). */
    String[] record(int n) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + n);
        String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
        int c = switch (country) {
            case "US" -> 0;
            case "DE" -> 1;
            case "GB" -> 2;
            case "FR" -> 3;
            default -> 4;
        };
        String first = pick(random, FIRST_NAMES[c]);
        String last = pick(random, LAST_NAMES[c]);
        String street = pick(random, STREETS[c]);
        int number = 1 + random.nextInt(400);
        int place = random.nextInt(CITIES[c].length);
        String[] values = new String[COLUMNS.length];
        values[0] = idPrefix + n;
        values[1] = email(random, first, last, n);
        values[2] = phone(random, country);
        values[3] = first;
        values[4] = last;
        values[5] = switch (country) {
            case "US" -> number + " " + street + (random.nextInt(4) == 0 ? ", Apt " + (1 + random.nextInt(30)) + "B" : "");
            case "GB" -> (random.nextInt(5) == 0 ? "Flat " + (1 + random.nextInt(9)) + ", " : "") + number + " " + street;
            case "FR" -> number + (random.nextInt(6) == 0 ? " bis, " : ", ") + street;
            case "JP" -> (1 + random.nextInt(5)) + "-" + (1 + random.nextInt(20)) + "-" + (1 + random.nextInt(30)) + " " + street;
            default -> street + " " + number;
        };
        values[6] = random.nextInt(10) == 0 ? CITIES[c][place].toUpperCase() : CITIES[c][place];
        values[7] = STATES[c][place];
        values[8] = postalCode(random, country);
        values[9] = random.nextInt(8) == 0 ? country.toLowerCase() : country;
        values[10] = "";
        values[11] = "GRANTED";
        values[12] = random.nextInt(3) == 0 ? "" : "GRANTED";
        spoil(random.nextInt(1000), values);
        return values;
    }

    /** About 30 in 1000 records cannot become members, about 30 are removals. */
    private static void spoil(int dice, String[] values) {
        if (dice < 10) {
            values[11] = ""; // no consent signal
            values[12] = "";
        } else if (dice < 15) {
            values[0] = values[1]; // an email as external id: invalid
        } else if (dice < 20) {
            values[1] = "n/a"; // no usable identity at all
            values[2] = "";
            values[3] = "";
            values[4] = "";
            values[5] = "";
            values[6] = "";
            values[7] = "";
            values[8] = "";
        } else if (dice < 28) {
            values[11] = "maybe"; // not a consent value
        } else if (dice < 48) {
            values[10] = "remove";
        } else if (dice < 58) {
            values[11] = "DENIED"; // withdrawn: a removal
        }
    }

    private static String email(SplittableRandom random, String first, String last, int n) {
        String local = switch (random.nextInt(4)) {
            case 0 -> first + "." + last;
            case 1 -> first.charAt(0) + last;
            case 2 -> last + "_" + first + (n % 100);
            default -> first + "." + last + "+crm" + (n % 10);
        };
        String address = local.replace(" ", "").replace("'", "") + n + "@" + pick(random, MAIL_DOMAINS);
        return random.nextInt(5) == 0 ? address.toUpperCase() : address;
    }

    private static String phone(SplittableRandom random, String country) {
        if (random.nextInt(10) == 0) {
            return ""; // no phone on record
        }
        String eight = digits(random, 8);
        return switch (country) {
            case "US" -> {
                String area = pick(random, US_AREA_CODES);
                String exchange = (2 + random.nextInt(8)) + digits(random, 2);
                String line = digits(random, 4);
                yield switch (random.nextInt(4)) {
                    case 0 -> "(" + area + ") " + exchange + "-" + line;
                    case 1 -> area + "-" + exchange + "-" + line;
                    case 2 -> "+1 " + area + " " + exchange + " " + line;
                    default -> "1" + area + exchange + line;
                };
            }
            case "DE" -> random.nextBoolean() ? "+49 30 " + eight : "0171 " + digits(random, 7);
            case "GB" -> random.nextBoolean() ? "+44 20 7946 " + digits(random, 4) : "07700 9" + digits(random, 5);
            case "FR" -> random.nextBoolean() ? "+33 1 " + pairs(eight) : "06 " + pairs(eight);
            default -> random.nextBoolean() ? "+81 3-" + eight.substring(0, 4) + "-" + eight.substring(4) : "090-" + eight.substring(0, 4) + "-" + eight.substring(4);
        };
    }

    private static String postalCode(SplittableRandom random, String country) {
        return switch (country) {
            case "US" -> digits(random, 5) + (random.nextInt(5) == 0 ? "-" + digits(random, 4) : "");
            case "GB" -> pick(random, new String[] { "SW1A 1AA", "EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH", "LS1 4AP", "G2 3AA" });
            case "JP" -> digits(random, 3) + "-" + digits(random, 4);
            default -> digits(random, 5);
        };
    }

    private static String digits(SplittableRandom random, int count) {
        char[] digits = new char[count];
        for (int i = 0; i < count; i++) {
            digits[i] = (char) ('0' + random.nextInt(10));
        }
        return new String(digits);
    }

    private static String pairs(String eight) {
        return eight.substring(0, 2) + " " + eight.substring(2, 4) + " " + eight.substring(4, 6) + " " + eight.substring(6);
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static void appendCsv(StringBuilder line, String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0) {
            line.append(value);
            return;
        }
        line.append('"').append(value.replace("\"", "\"\"")).append('"');
    }
}
