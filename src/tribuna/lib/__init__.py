"""Small helpers shared by the apps: settings parsing, text hygiene, Markdown, HTTP."""
