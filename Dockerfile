# newsdesk: `newsdesk serve`, `newsdesk slack` and the rest of the CLI. Used by docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false

WORKDIR /app

# torch first, pinned and CPU-only: an unpinned one pulls a multi-GB CUDA build.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

COPY pyproject.toml ./
COPY retrieval/ retrieval/
COPY bot/ bot/
RUN pip install .

COPY seeds/ seeds/
RUN useradd --create-home newsdesk && mkdir /data && chown newsdesk /data
USER newsdesk

EXPOSE 8000
CMD ["newsdesk", "serve", "--host", "0.0.0.0"]
