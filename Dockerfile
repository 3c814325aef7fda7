# One image for all five services; docker-compose.yml picks the service with
# `command: ["python", "-m", "services.<stage>"]`.
#   docker build -t integration-journey .
#   docker run --rm integration-journey python -m services.recruitment
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH=/app/.venv/bin:$PATH

RUN pip install --no-cache-dir "uv>=0.9,<1"

WORKDIR /app

# Dependencies first: this layer is rebuilt only when pyproject.toml or uv.lock change.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

# Then the code (README.md: pyproject's `readme`, needed to build the project itself).
COPY README.md ./
COPY shared/ shared/
COPY services/ services/
# deploy/ holds example configuration the services read (NOTIFICATIONS_DIRECTORY_FILE).
COPY deploy/ deploy/
RUN uv sync --frozen --no-dev --no-editable

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home journey
USER journey

ENV HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080 \
    LOG_FORMAT=json
EXPOSE 8080

CMD ["python", "-m", "services.recruitment"]
