#pragma once
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic; Swift needs one typed entry per argument kind.
static inline CURLcode countersign_curl_set_long(CURL *c, CURLoption o, long v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode countersign_curl_set_string(CURL *c, CURLoption o, const char *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode countersign_curl_set_pointer(CURL *c, CURLoption o, void *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode countersign_curl_set_slist(CURL *c, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode countersign_curl_set_write_callback(CURL *c, size_t (*f)(char *, size_t, size_t, void *)) { return curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode countersign_curl_set_read_callback(CURL *c, size_t (*f)(char *, size_t, size_t, void *)) { return curl_easy_setopt(c, CURLOPT_READFUNCTION, f); }
static inline CURLcode countersign_curl_get_response_code(CURL *c, long *v) { return curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, v); }
