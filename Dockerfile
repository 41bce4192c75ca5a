FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DJANGO_SETTINGS_MODULE=edc.settings.local python manage.py compilemessages --ignore=.venv
RUN useradd --system --uid 1000 edc && mkdir -p /app/media && chown -R edc /app
USER edc
EXPOSE 8000
