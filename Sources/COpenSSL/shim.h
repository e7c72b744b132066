#pragma once
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/// Per thread, HMAC contexts for the last few (digest, key) pairs, already keyed: a worker signs
/// and checks every cookie with the same one or two keys, and re-initialising a keyed context
/// (`EVP_MAC_init` with a NULL key) skips the digest fetch by name and the key schedule that a
/// fresh context pays on every call. Thread-local, so no locking; freed with the thread.
#define COUNTERSIGN_HMAC_SLOTS 4
#define COUNTERSIGN_HMAC_MAX_KEY 128
typedef struct {
    EVP_MAC_CTX *context;
    char digest[16];
    size_t key_length;
    unsigned char key[COUNTERSIGN_HMAC_MAX_KEY];
} countersign_hmac_slot;
typedef struct {
    countersign_hmac_slot slots[COUNTERSIGN_HMAC_SLOTS];
    unsigned next;
} countersign_hmac_cache;

// Function-local statics: Swift's importer emits those, not file-scope ones in a header.
static inline pthread_key_t *countersign_hmac_cache_key(void) {
    static pthread_key_t key;
    return &key;
}

static inline pthread_once_t *countersign_hmac_cache_once(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    return &once;
}

static inline void countersign_hmac_cache_free(void *pointer) {
    countersign_hmac_cache *cache = (countersign_hmac_cache *)pointer;
    for (int i = 0; i < COUNTERSIGN_HMAC_SLOTS; i++) EVP_MAC_CTX_free(cache->slots[i].context);
    OPENSSL_cleanse(cache, sizeof *cache);
    free(cache);
}

static inline void countersign_hmac_cache_init(void) {
    pthread_key_create(countersign_hmac_cache_key(), countersign_hmac_cache_free);
}

static inline EVP_MAC *countersign_hmac_implementation(void) {
    static EVP_MAC *shared = NULL;
    EVP_MAC *mac = __atomic_load_n(&shared, __ATOMIC_ACQUIRE);
    if (mac == NULL) {
        EVP_MAC *fetched = EVP_MAC_fetch(NULL, "HMAC", NULL);
        if (fetched == NULL) return NULL;
        EVP_MAC *expected = NULL;
        if (__atomic_compare_exchange_n(&shared, &expected, fetched, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            mac = fetched;
        } else {
            EVP_MAC_free(fetched);
            mac = expected;
        }
    }
    return mac;
}

/// A keyed context for (digest, key) from this thread's cache, reset for a new message; NULL when
/// the key or digest name is too long to cache or allocation fails (the caller then uses a
/// one-off context).
static inline EVP_MAC_CTX *countersign_hmac_cached_context(EVP_MAC *mac, const char *digest, const void *key, size_t key_length) {
    size_t digest_length = strlen(digest);
    if (key_length > COUNTERSIGN_HMAC_MAX_KEY || digest_length >= 16) return NULL;
    pthread_once(countersign_hmac_cache_once(), countersign_hmac_cache_init);
    countersign_hmac_cache *cache = (countersign_hmac_cache *)pthread_getspecific(*countersign_hmac_cache_key());
    if (cache == NULL) {
        cache = (countersign_hmac_cache *)calloc(1, sizeof *cache);
        if (cache == NULL || pthread_setspecific(*countersign_hmac_cache_key(), cache) != 0) { free(cache); return NULL; }
    }
    for (int i = 0; i < COUNTERSIGN_HMAC_SLOTS; i++) {
        countersign_hmac_slot *slot = &cache->slots[i];
        if (slot->context != NULL && slot->key_length == key_length && strcmp(slot->digest, digest) == 0
            && CRYPTO_memcmp(slot->key, key, key_length) == 0) {
            return EVP_MAC_init(slot->context, NULL, 0, NULL) ? slot->context : NULL;
        }
    }
    countersign_hmac_slot *slot = &cache->slots[cache->next];
    cache->next = (cache->next + 1) % COUNTERSIGN_HMAC_SLOTS;
    EVP_MAC_CTX_free(slot->context);
    OPENSSL_cleanse(slot, sizeof *slot);
    EVP_MAC_CTX *context = EVP_MAC_CTX_new(mac);
    if (context == NULL) return NULL;
    OSSL_PARAM parameters[2];
    parameters[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    parameters[1] = OSSL_PARAM_construct_end();
    if (!EVP_MAC_init(context, key, key_length, parameters)) { EVP_MAC_CTX_free(context); return NULL; }
    slot->context = context;
    memcpy(slot->digest, digest, digest_length + 1);
    slot->key_length = key_length;
    memcpy(slot->key, key, key_length);
    return context;
}

/// HMAC with the MAC implementation fetched once per process. OpenSSL 3's one-shot `HMAC()`
/// looks the implementation up by name on every call, which was most of the cost of an HMAC on
/// our small messages (a quarter of a page view's work); a keyed context from the thread's cache
/// also skips the digest lookup and key schedule. Returns 1 on success.
static inline int countersign_hmac(const char *digest, const void *key, size_t key_length,
                                   const unsigned char *message, size_t message_length,
                                   unsigned char *out, size_t out_capacity, size_t *out_length) {
    EVP_MAC *mac = countersign_hmac_implementation();
    if (mac == NULL) return 0;
    EVP_MAC_CTX *cached = countersign_hmac_cached_context(mac, digest, key, key_length);
    if (cached != NULL) {
        return EVP_MAC_update(cached, message, message_length) && EVP_MAC_final(cached, out, out_length, out_capacity);
    }
    EVP_MAC_CTX *context = EVP_MAC_CTX_new(mac);
    if (context == NULL) return 0;
    OSSL_PARAM parameters[2];
    parameters[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    parameters[1] = OSSL_PARAM_construct_end();
    int ok = EVP_MAC_init(context, key, key_length, parameters)
        && EVP_MAC_update(context, message, message_length)
        && EVP_MAC_final(context, out, out_length, out_capacity);
    EVP_MAC_CTX_free(context);
    return ok;
}
