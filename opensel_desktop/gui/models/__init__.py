"""Qt item models over the app's frozen values (Result, papers, journal): no copies held by widgets."""
