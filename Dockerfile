# syntax=docker/dockerfile:1
# The translation service: the model fetched and converted for CTranslate2 (int8) at build time,
# served by waitress as an unprivileged user, with production defaults (no /demo; the auto backend,
# which is CTranslate2 since the [fast] extra is installed).
#   docker build -t translator .                                   (opus-mt-en-fr)
#   docker build --build-arg MODEL=Helsinki-NLP/opus-mt-tc-big-en-fr -t translator .
#   docker run -p 8000:8000 -v translator-data:/data translator

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# CPU wheels of torch first, so the project's requirement never pulls the CUDA build.
ARG TORCH_VERSION=2.13.0
RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch==${TORCH_VERSION}"
WORKDIR /src
COPY pyproject.toml README.md ./
COPY translator ./translator
RUN pip install "/src[fast]"
ARG MODEL=Helsinki-NLP/opus-mt-en-fr
# Converted here, once: the service starts on the fast backend without converting at run time.
RUN translator model fetch "${MODEL}" --dir /opt/model-source \
    && translator model convert /opt/model-source --compute-type int8 --out /opt/model

FROM ${PYTHON_IMAGE}
RUN useradd --system --create-home --uid 10001 --no-log-init translator \
    && mkdir /data \
    && chown translator /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/model /opt/model
WORKDIR /app
COPY glossary ./glossary
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSLATOR_MODEL=/opt/model \
    TRANSLATOR_BACKEND=auto \
    TRANSLATOR_DEMO=off \
    TRANSLATOR_DATA_DIR=/data
USER 10001
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]
CMD ["translator", "serve", "--host", "0.0.0.0", "--port", "8000"]
