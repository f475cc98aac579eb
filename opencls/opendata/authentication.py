from rest_framework import authentication


class ReadOnlyTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token …` for BI tools: reads what the token's user reads, writes nothing.

    A write sent with a token is not authenticated by it (and, without a session, refused)."""

    def authenticate(self, request):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return None
        return super().authenticate(request)
