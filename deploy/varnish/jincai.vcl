# Varnish in front of gunicorn (nginx terminates TLS and serves /static/ and /media/, then proxies here).
#
# What Varnish stores is what the app's page cache stores (portal/page_cache.py): anonymous GETs of public pages,
# answered with `Cache-Control: public, max-age=0, s-maxage=N` and an `xkey` header naming what the page shows.
# Publishing, unpublishing, moving or deleting a page and editing a snippet or a setting sends one PURGE request
# with an `xkey-purge` header listing those tags (portal/frontend_cache.py); vmod xkey (Debian: varnish-modules)
# removes every object stored under any of them. docs/production.md, section 9a, shows where this file goes.
#
# The backend address below is where gunicorn listens; scripts/varnish.sh replaces it for tests and benchmarks.
vcl 4.1;

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 30s;
}

# Who may purge: the app servers (the same machine here).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The paths the app never stores (PAGE_CACHE_EXCLUDE): the admin, the APIs and their keys, the services hall,
    # search, downloads and the access applications.
    if (req.url ~ "^/(admin|django-admin|api|hall|search|documents|media|static)/"
        || req.url ~ "^/open-data/(resources|datasets)/") {
        return (pass);
    }
    # Someone signed in, with a message waiting, or with credentials: their page is theirs alone.
    if (req.http.Authorization || req.http.X-Api-Key
        || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Nothing else a cookie says changes a public page (长者模式 is kept in the browser's localStorage).
    unset req.http.Cookie;
    # The same key as the app's: tracking parameters dropped, the others sorted.
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[A-Za-z0-9_]*|spm|from)=[^&]*(&|$)", "");
        set req.url = regsub(req.url, "[?&]$", "");
        set req.url = std.querysort(req.url);
    }
    return (hash);
}

sub vcl_backend_response {
    # Only what the app marked as shareable and tagged: never a response with a cookie or marked private.
    if (beresp.http.Set-Cookie || !beresp.http.xkey
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    # The TTL is the app's s-maxage (never past midnight: the header shows the date). A short grace only: a purged
    # object is gone at once (xkey.purge is a hard purge), grace covers the app being slow for an expired one.
    set beresp.grace = 10s;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
        # Read by static/js/view-beacon.js: a page answered here counts its view with a beacon to the app.
        set resp.http.Server-Timing = "varnish;desc=hit";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

sub vcl_synth {
    if (req.method == "PURGE" && req.http.X-Purged) {
        set resp.http.X-Purged = req.http.X-Purged;
    }
}
