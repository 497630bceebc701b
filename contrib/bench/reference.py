"""reference.py - the original stack's heartbeat, as a yardstick.

The Python version termgate replaces served its API with FastAPI and
SQLAlchemy's asyncio ORM over asyncpg (its tests: an AsyncSession, a
TerminalSessionRepository whose update_last_seen selects the session,
sets last_seen_at and commits, a pydantic HeartbeatResponse). This is that
heartbeat on termgate's own table, run by uvicorn behind the bench's nginx
(contrib/bench/run, BENCH_REFERENCE=1), so that termgate's ratio to it is
measured in the same run rather than remembered. Debian 12 packages all it
needs: python3-fastapi python3-uvicorn python3-sqlalchemy python3-asyncpg.

The user comes from X-Bench-User, as the bench's nginx passes it to
termgate (default "bench"). Its commits wait for the WAL flush, as the
original's did. Settings: REFERENCE_DSN (postgresql+asyncpg://...).
"""
import os
from datetime import datetime, timezone
from typing import Optional

from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel
from sqlalchemy import BigInteger, Column, DateTime, Text, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.orm import declarative_base, sessionmaker

Base = declarative_base()


class TerminalSession(Base):
    __tablename__ = "sessions"
    __table_args__ = {"schema": "termgate"}
    id = Column(Text, primary_key=True)
    username = Column(Text)
    user_id = Column(BigInteger)
    status = Column(Text)
    last_seen_at = Column(DateTime(timezone=True))
    expires_at = Column(DateTime(timezone=True))
    client_lost_at = Column(DateTime(timezone=True))
    reason_closed = Column(Text)


class HeartbeatResponse(BaseModel):
    session_id: str
    status: str
    last_seen_at: datetime
    remaining_seconds: int
    healthy: bool
    reason_closed: Optional[str] = None


engine = create_async_engine(os.environ["REFERENCE_DSN"], pool_size=10)
Sessions = sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
app = FastAPI()
LIVE = ("starting", "active")


class TerminalSessionRepository:
    def __init__(self, db):
        self.db = db

    async def get(self, session_id, username):
        result = await self.db.execute(
            select(TerminalSession).where(TerminalSession.id == session_id,
                                          TerminalSession.username == username))
        return result.scalar_one_or_none()

    async def update_last_seen(self, session_id, username):
        s = await self.get(session_id, username)
        if s is not None and s.status in LIVE:
            s.last_seen_at = datetime.now(timezone.utc)
            s.client_lost_at = None
            await self.db.commit()
        return s


@app.post("/api/terminal/sessions/{session_id}/heartbeat",
          response_model=HeartbeatResponse)
async def heartbeat(session_id: str,
                    x_bench_user: str = Header(default="bench")):
    async with Sessions() as db:
        s = await TerminalSessionRepository(db).update_last_seen(
            session_id, x_bench_user)
    if s is None:
        raise HTTPException(status_code=404, detail="SESSION_NOT_FOUND")
    live = s.status in LIVE
    left = (s.expires_at - datetime.now(timezone.utc)).total_seconds()
    return HeartbeatResponse(session_id=s.id, status=s.status,
                             last_seen_at=s.last_seen_at,
                             remaining_seconds=max(0, int(left)) if live else 0,
                             healthy=live, reason_closed=s.reason_closed)
