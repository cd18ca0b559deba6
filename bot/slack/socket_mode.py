"""Socket Mode: the bot dials out to Slack over a websocket, so it needs no public URL."""

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.config import Settings
from bot.errors import SlackSetupError
from bot.wiring import slack_client

SETUP = "see the Slack section of the README"


def check_slack(settings: Settings) -> str:
    """The bot's Slack name, once both tokens are set and Slack accepts the bot token."""
    missing = [
        name
        for name, value in (
            ("SLACK_BOT_TOKEN", settings.slack_bot_token),
            ("SLACK_APP_TOKEN", settings.slack_app_token),
        )
        if value is None
    ]
    if missing:
        raise SlackSetupError(f"{' and '.join(missing)} not set; {SETUP}")
    try:
        auth = slack_client(settings).auth_test()
    except SlackApiError as error:
        raise SlackSetupError(
            f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}); copy the Bot User "
            f"OAuth Token again from your app's OAuth & Permissions page"
        ) from None
    except (SlackClientError, OSError) as error:
        raise SlackSetupError(
            f"Slack's Web API at {settings.slack_api_url} is not reachable "
            f"({type(error).__name__}); check NEWSDESK_SLACK_API_URL and the network"
        ) from None
    return str(auth.get("user") or "newsdesk")


def connect(app: App, settings: Settings) -> SocketModeHandler:
    """The bot `app` (see bot.slack.app), connected over Socket Mode; `client.close()` stops it."""
    token = settings.slack_app_token
    if token is None:
        raise SlackSetupError(f"SLACK_APP_TOKEN not set; {SETUP}")
    handler = SocketModeHandler(app, token.get_secret_value())
    try:
        handler.client.connect()
    except SlackApiError as error:
        raise SlackSetupError(
            f"Slack refused SLACK_APP_TOKEN ({error.response.get('error')}); it needs the "
            f"connections:write scope and Socket Mode turned on; {SETUP}"
        ) from None
    except (SlackClientError, OSError) as error:
        raise SlackSetupError(
            f"Could not open a Socket Mode connection to Slack ({type(error).__name__})"
        ) from None
    return handler
