// Plain C view of Debian's libphonenumber (C++), for Swift.
//
// Swift imports this header as C, so it holds no C++ type: only C enums, `char` buffers and `int`.
// Every function catches every C++ exception; none ever throws across the C boundary.
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What `cs_phone_parse` concluded about its input.
typedef enum cs_phone_status {
    CS_PHONE_OK = 0,
    /// No phone number could be read from the input (empty, letters only, a lone "+", …).
    CS_PHONE_NOT_A_NUMBER = 1,
    /// The number starts with a country calling code that does not exist, or has none and the
    /// default region is unknown.
    CS_PHONE_INVALID_COUNTRY_CODE = 2,
    /// Fewer digits than any number of that country.
    CS_PHONE_TOO_SHORT = 3,
    /// More digits than any number of that country.
    CS_PHONE_TOO_LONG = 4,
    /// Well-formed, but no such number is allocated in that country's numbering plan.
    CS_PHONE_INVALID_NUMBER = 5,
    /// A valid number followed by an extension ("ext. 12"); a text message cannot reach an extension.
    CS_PHONE_HAS_EXTENSION = 6,
    /// An argument was NULL, an output buffer too small, or libphonenumber threw.
    CS_PHONE_INTERNAL_ERROR = 7,
} cs_phone_status;

/// libphonenumber's `PhoneNumberUtil::PhoneNumberType`, with values of our own so that a
/// reordering upstream cannot silently change their meaning on the Swift side.
typedef enum cs_phone_type {
    CS_PHONE_TYPE_FIXED_LINE = 0,
    CS_PHONE_TYPE_MOBILE = 1,
    CS_PHONE_TYPE_FIXED_LINE_OR_MOBILE = 2,
    CS_PHONE_TYPE_TOLL_FREE = 3,
    CS_PHONE_TYPE_PREMIUM_RATE = 4,
    CS_PHONE_TYPE_SHARED_COST = 5,
    CS_PHONE_TYPE_VOIP = 6,
    CS_PHONE_TYPE_PERSONAL_NUMBER = 7,
    CS_PHONE_TYPE_PAGER = 8,
    CS_PHONE_TYPE_UAN = 9,
    CS_PHONE_TYPE_VOICEMAIL = 10,
    CS_PHONE_TYPE_UNKNOWN = 11,
} cs_phone_type;

/// Room for "+" and the 15 digits E.164 allows, plus the terminating NUL, with margin.
#define CS_PHONE_E164_CAPACITY 24
/// Room for a region code: two letters, "001" for non-geographic numbers, "ZZ" for none.
#define CS_PHONE_REGION_CAPACITY 8

/// Parses `input` (national or international notation; national numbers are read as numbers of
/// `default_region`, an ISO 3166 alpha-2 code such as "US") and checks it against the numbering
/// plan. On `CS_PHONE_OK` the outputs hold the E.164 form ("+12015550123"), the region the number
/// belongs to ("US"; "001" for non-geographic numbers), the country calling code (1) and the type.
/// On any other status the outputs are left empty (strings) or zero.
cs_phone_status cs_phone_parse(const char *input, const char *default_region,
                               char *e164_out, size_t e164_cap,
                               char *region_out, size_t region_cap,
                               int *country_code_out, cs_phone_type *type_out);

/// 1 when libphonenumber has metadata for this geographic region code (exact, upper case: "US",
/// "GB"), 0 otherwise (including "001", "ZZ", lower case, NULL).
int cs_phone_is_supported_region(const char *region);

#ifdef __cplusplus
}
#endif
