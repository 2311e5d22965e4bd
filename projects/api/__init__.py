"""The REST API of SPEC section 6: thin serializers and viewsets over the services and filter sets."""
