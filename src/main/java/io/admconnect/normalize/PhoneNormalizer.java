package io.admconnect.normalize;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber.CountryCodeSource;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Phone: E.164 digits without '+', i.e. calling code followed by the national significant number.
 *
 * <p>Only digits are kept, plus a '+' written before the first digit (an explicit international form);
 * libphonenumber parses them with the record's country as default region, which also recognises that
 * country's international dialling prefix. A number is kept when it is valid, or when it is plausible:
 * its national significant number fits the general description (possible lengths and national-number
 * pattern) of the record's country. When the calling code came from the digits themselves (other than
 * NANP's leading 1, which is also the trunk prefix there), the description of the number's own region
 * is used instead, and a number without a region (invalid under a shared calling code) is dropped.
 */
final class PhoneNormalizer {

    private static final PhoneNumberUtil PHONE_UTIL = PhoneNumberUtil.getInstance();
    private static final String NON_GEOGRAPHIC_REGION = "001";
    private static final int NANP_CALLING_CODE = 1;

    private final MetadataSource metadata =
            DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();

    /** General descriptions, compiled once per region (or per non-geographic calling code). */
    private final ConcurrentMap<String, Optional<GeneralDesc>> generalDescs = new ConcurrentHashMap<>();

    String normalize(String value, String region) {
        StringBuilder dialled = new StringBuilder(value.length() + 1);
        boolean international = false;
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            if (Character.isDigit(codePoint)) {
                dialled.appendCodePoint(codePoint);
            } else if (dialled.length() == 0 && (codePoint == '+' || codePoint == '\uFF0B')) {
                international = true;
            }
            i += Character.charCount(codePoint);
        }
        if (dialled.length() == 0) {
            return null;
        }
        if (international) {
            dialled.insert(0, '+');
        }
        PhoneNumber number;
        try {
            // parseAndKeepRawInput records where the calling code came from (countryCodeSource).
            number = PHONE_UTIL.parseAndKeepRawInput(dialled, region);
        } catch (NumberParseException e) {
            return null;
        }
        // Kept when valid or plausible; the one-pattern plausibility check runs first as it is far cheaper.
        if (!isPlausible(number, region) && !PHONE_UTIL.isValidNumber(number)) {
            return null;
        }
        return number.getCountryCode() + PHONE_UTIL.getNationalSignificantNumber(number);
    }

    private boolean isPlausible(PhoneNumber number, String recordRegion) {
        String descRegion = recordRegion;
        if (number.getCountryCodeSource() != CountryCodeSource.FROM_DEFAULT_COUNTRY
                && !isNanpTrunkPrefix(number, recordRegion)) {
            descRegion = PHONE_UTIL.getRegionCodeForNumber(number);
            if (descRegion == null) {
                return false;
            }
        }
        return generalDesc(descRegion, number.getCountryCode())
                .map(desc -> desc.matches(PHONE_UTIL.getNationalSignificantNumber(number)))
                .orElse(false);
    }

    /** A NANP record's number whose leading 1 was read as the calling code: 1 is the trunk prefix there. */
    private static boolean isNanpTrunkPrefix(PhoneNumber number, String recordRegion) {
        return number.getCountryCode() == NANP_CALLING_CODE && PHONE_UTIL.isNANPACountry(recordRegion);
    }

    private Optional<GeneralDesc> generalDesc(String region, int callingCode) {
        boolean nonGeographic = NON_GEOGRAPHIC_REGION.equals(region);
        String key = nonGeographic ? NON_GEOGRAPHIC_REGION + callingCode : region;
        return generalDescs.computeIfAbsent(key, k -> {
            PhoneMetadata regionMetadata = nonGeographic
                    ? metadata.getMetadataForNonGeographicalRegion(callingCode)
                    : metadata.getMetadataForRegion(region);
            return Optional.ofNullable(regionMetadata).map(m -> GeneralDesc.of(m.getGeneralDesc()));
        });
    }

    /** A region's general description: the lengths a national number may have and the pattern it follows. */
    private record GeneralDesc(List<Integer> possibleLengths, Pattern nationalNumberPattern) {

        static GeneralDesc of(PhoneNumberDesc desc) {
            return new GeneralDesc(List.copyOf(desc.getPossibleLengthList()),
                    Pattern.compile(desc.getNationalNumberPattern()));
        }

        boolean matches(String nationalSignificantNumber) {
            return possibleLengths.contains(nationalSignificantNumber.length())
                    && nationalNumberPattern.matcher(nationalSignificantNumber).matches();
        }
    }
}
