// C functions over libphonenumber's PhoneNumberUtil; see include/CPhoneNumber.h for the contract.
//
// PhoneNumberUtil::GetInstance() is a thread-safe singleton that loads the metadata once per
// process, so each call here is independent and holds no state of its own.
#include "CPhoneNumber.h"

#include <cstring>
#include <set>
#include <string>

#include <phonenumbers/phonenumberutil.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

/// Copies `value` with its NUL into `out`; false (and `out` left empty) when it does not fit.
bool copy_out(const std::string &value, char *out, size_t cap) {
    if (value.size() >= cap) {
        if (cap > 0) out[0] = '\0';
        return false;
    }
    std::memcpy(out, value.c_str(), value.size() + 1);
    return true;
}

cs_phone_status status_for_parse_error(PhoneNumberUtil::ErrorType error) {
    switch (error) {
    case PhoneNumberUtil::NO_PARSING_ERROR: return CS_PHONE_OK;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR: return CS_PHONE_INVALID_COUNTRY_CODE;
    case PhoneNumberUtil::NOT_A_NUMBER: return CS_PHONE_NOT_A_NUMBER;
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD: return CS_PHONE_TOO_SHORT;
    case PhoneNumberUtil::TOO_SHORT_NSN: return CS_PHONE_TOO_SHORT;
    case PhoneNumberUtil::TOO_LONG_NSN: return CS_PHONE_TOO_LONG;
    }
    return CS_PHONE_NOT_A_NUMBER;
}

/// Why a number that parsed is not valid: libphonenumber's length check says more than
/// "invalid" when the length alone is wrong.
cs_phone_status status_for_invalid_number(const PhoneNumberUtil &util, const PhoneNumber &number) {
    switch (util.IsPossibleNumberWithReason(number)) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE: return CS_PHONE_INVALID_COUNTRY_CODE;
    case PhoneNumberUtil::TOO_SHORT: return CS_PHONE_TOO_SHORT;
    case PhoneNumberUtil::TOO_LONG: return CS_PHONE_TOO_LONG;
    default: return CS_PHONE_INVALID_NUMBER;
    }
}

cs_phone_type c_type(PhoneNumberUtil::PhoneNumberType type) {
    switch (type) {
    case PhoneNumberUtil::FIXED_LINE: return CS_PHONE_TYPE_FIXED_LINE;
    case PhoneNumberUtil::MOBILE: return CS_PHONE_TYPE_MOBILE;
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: return CS_PHONE_TYPE_FIXED_LINE_OR_MOBILE;
    case PhoneNumberUtil::TOLL_FREE: return CS_PHONE_TYPE_TOLL_FREE;
    case PhoneNumberUtil::PREMIUM_RATE: return CS_PHONE_TYPE_PREMIUM_RATE;
    case PhoneNumberUtil::SHARED_COST: return CS_PHONE_TYPE_SHARED_COST;
    case PhoneNumberUtil::VOIP: return CS_PHONE_TYPE_VOIP;
    case PhoneNumberUtil::PERSONAL_NUMBER: return CS_PHONE_TYPE_PERSONAL_NUMBER;
    case PhoneNumberUtil::PAGER: return CS_PHONE_TYPE_PAGER;
    case PhoneNumberUtil::UAN: return CS_PHONE_TYPE_UAN;
    case PhoneNumberUtil::VOICEMAIL: return CS_PHONE_TYPE_VOICEMAIL;
    case PhoneNumberUtil::UNKNOWN: return CS_PHONE_TYPE_UNKNOWN;
    }
    return CS_PHONE_TYPE_UNKNOWN;
}

}  // namespace

extern "C" cs_phone_status cs_phone_parse(const char *input, const char *default_region,
                                          char *e164_out, size_t e164_cap,
                                          char *region_out, size_t region_cap,
                                          int *country_code_out, cs_phone_type *type_out) {
    if (input == nullptr || default_region == nullptr || e164_out == nullptr || e164_cap == 0 ||
        region_out == nullptr || region_cap == 0 || country_code_out == nullptr || type_out == nullptr) {
        return CS_PHONE_INTERNAL_ERROR;
    }
    e164_out[0] = '\0';
    region_out[0] = '\0';
    *country_code_out = 0;
    *type_out = CS_PHONE_TYPE_UNKNOWN;
    try {
        const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
        PhoneNumber number;
        cs_phone_status status = status_for_parse_error(util.Parse(input, default_region, &number));
        if (status != CS_PHONE_OK) return status;
        if (!util.IsValidNumber(number)) return status_for_invalid_number(util, number);
        if (number.has_extension() && !number.extension().empty()) return CS_PHONE_HAS_EXTENSION;

        std::string e164, region;
        util.Format(number, PhoneNumberUtil::E164, &e164);
        util.GetRegionCodeForNumber(number, &region);
        if (!copy_out(e164, e164_out, e164_cap) || !copy_out(region, region_out, region_cap)) {
            e164_out[0] = '\0';
            region_out[0] = '\0';
            return CS_PHONE_INTERNAL_ERROR;
        }
        *country_code_out = number.country_code();
        *type_out = c_type(util.GetNumberType(number));
        return CS_PHONE_OK;
    } catch (...) {
        e164_out[0] = '\0';
        region_out[0] = '\0';
        return CS_PHONE_INTERNAL_ERROR;
    }
}

extern "C" int cs_phone_is_supported_region(const char *region) {
    if (region == nullptr) return 0;
    try {
        std::set<std::string> regions;
        PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
        return regions.count(region) > 0 ? 1 : 0;
    } catch (...) {
        return 0;
    }
}
